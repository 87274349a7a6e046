/** AvgPool2D: average over sliding windows of NHWC images. Built by pool-family.ts. */
import { windowPool2D } from './pool-family.js';

/** The AvgPool2D layer kind. */
export const AvgPool2D = windowPool2D('avg');
