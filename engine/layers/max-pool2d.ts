/** MaxPool2D: max over sliding windows of NHWC images. Built by pool-family.ts. */
import { windowPool2D } from './pool-family.js';
import { window2dText } from './explain.js';
import { extendKind } from './common.js';

/** The MaxPool2D layer kind. */
export const MaxPool2D = extendKind(windowPool2D('max'), {
  paramDocs: { strides: 'Step between windows; unset = poolSize (windows that do not overlap).' },
  explainShape: (p, [s], [o]) => `${window2dText(s, o, p.poolSize, p.strides ?? p.poolSize, p.padding, 1, 'window')}; channels unchanged (${o[3]})`,
  channelwise: 'same',
});
