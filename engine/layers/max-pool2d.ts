/** MaxPool2D: max over sliding windows of NHWC images. Built by pool-family.ts. */
import { windowPool2D } from './pool-family.js';

/** The MaxPool2D layer kind. */
export const MaxPool2D = windowPool2D('max');
