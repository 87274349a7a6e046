/** AvgPool1D: average over sliding windows along the steps axis of [batch, steps, channels]. Built by pool-family.ts. */
import { windowPool1D } from './pool-family.js';

/** The AvgPool1D layer kind. */
export const AvgPool1D = windowPool1D('avg');
