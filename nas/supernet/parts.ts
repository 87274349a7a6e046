/**
 * What the onnxruntime supernet passes read of a supernet: its walk structure, shapes, weight
 * bank and output. Declared apart from supernet.ts, which creates those passes, so the two
 * do not import each other.
 */
import type { LossName } from '../../engine/train/losses.js';
import type { WeightBank } from './bank.js';
import type { StaticInfo } from './static.js';
import type { Structure } from './traverse.js';

/** The parts of a Supernet the ONNX compiler and runner use. */
export interface SupernetParts {
  readonly structure: Structure;
  readonly statics: StaticInfo;
  readonly bank: WeightBank;
  readonly output: { loss: LossName; fromLogits: boolean };
}
