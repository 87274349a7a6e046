/**
 * A search's data, loaded the way the training job loads it (engine/data/train-val.ts):
 * re-exported so the evaluators and the supernet search keep one import path.
 */
export { loadTrainVal, type TrainVal } from '../../engine/data/train-val.js';
