/** GlobalMaxPool: the maximum over every position, one vector per sample (sequences and images). Built by pool-family.ts. */
import { globalPool } from './pool-family.js';

/** The GlobalMaxPool layer kind. */
export const GlobalMaxPool = globalPool('max');
