/** GlobalAvgPool: the mean over every position, one vector per sample (sequences and images). Built by pool-family.ts. */
import { globalPool } from './pool-family.js';
import { fmtShape } from './common.js';
import { extendKind } from './common.js';

/** The GlobalAvgPool layer kind. */
export const GlobalAvgPool = extendKind(globalPool('avg'), {
  paramDocs: {},
  explainShape: (_p, [s], [o]) => `one mean per channel over all ${s.length === 3 ? 'steps' : 'pixels'}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  channelwise: 'same',
});
