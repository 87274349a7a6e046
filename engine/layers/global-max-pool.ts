/** GlobalMaxPool: the maximum over every position, one vector per sample (sequences and images). Built by pool-family.ts. */
import { globalPool } from './pool-family.js';
import { fmtShape } from './common.js';
import { extendKind } from './common.js';

/** The GlobalMaxPool layer kind. */
export const GlobalMaxPool = extendKind(globalPool('max'), {
  paramDocs: {},
  explainShape: (_p, [s], [o]) => `one maximum per channel over all ${s.length === 3 ? 'steps' : 'pixels'}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  channelwise: 'same',
});
