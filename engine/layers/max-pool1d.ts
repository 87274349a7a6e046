/** MaxPool1D: max over sliding windows along the steps axis of [batch, steps, channels]. Built by pool-family.ts. */
import { windowPool1D } from './pool-family.js';

/** The MaxPool1D layer kind. */
export const MaxPool1D = windowPool1D('max');
