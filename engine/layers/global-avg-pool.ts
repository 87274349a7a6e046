/** GlobalAvgPool: the mean over every position, one vector per sample (sequences and images). Built by pool-family.ts. */
import { globalPool } from './pool-family.js';

/** The GlobalAvgPool layer kind. */
export const GlobalAvgPool = globalPool('avg');
