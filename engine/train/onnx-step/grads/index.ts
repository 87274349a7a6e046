/**
 * The gradient rule registry: every ONNX op type the layers emit on a trainable path, by
 * family. The autodiff looks rules up here by op type.
 */
import type { GradRegistry } from '../types.js';
import { activationRules } from './activations.js';
import { convRules } from './conv.js';
import { elementwiseRules } from './elementwise.js';
import { matmulRules } from './matmul.js';
import { minMaxRules } from './minmax.js';
import { normRules } from './norm.js';
import { poolRules } from './pool.js';
import { resizeRules } from './resize.js';
import { shapeRules } from './shape-ops.js';

/** All gradient rules by ONNX op type (default domain). */
export const gradRules: GradRegistry = {
  ...elementwiseRules,
  ...activationRules,
  ...matmulRules,
  ...convRules,
  ...poolRules,
  ...shapeRules,
  ...resizeRules,
  ...normRules,
  ...minMaxRules,
};
