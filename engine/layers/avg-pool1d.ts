/** AvgPool1D: average over sliding windows along the steps axis of [batch, steps, channels]. Built by pool-family.ts. */
import { windowPool1D } from './pool-family.js';
import { windowAxis } from './explain.js';
import { extendKind } from './common.js';

/** The AvgPool1D layer kind. */
export const AvgPool1D = extendKind(windowPool1D('avg'), {
  paramDocs: { poolSize: 'Length of the pooling window along the steps.', strides: 'Step between windows; unset = poolSize (windows that do not overlap).' },
  explainShape: (p, [s], [o]) => {
    const stride = p.strides ?? p.poolSize;
    return `steps: ${windowAxis(s[1], p.poolSize, stride, p.padding, o[1])} (window ${p.poolSize}, stride ${stride}, ${p.padding} padding); channels unchanged (${o[2]})`;
  },
  channelwise: 'same',
});
