/**
 * The feature handler factories the server runs with, besides the core ones. A feature adds
 * its protocol methods in protocol/<feature>.ts and its handlers in handlers/<feature>.ts,
 * then one line here.
 */
import type { HandlerFactory } from './context.js';
import { datasetsHandlers } from './handlers/datasets.js';
import { runsHandlers } from './handlers/runs.js';
import { trainHandlers } from './handlers/train.js';

/** Every feature of the engine server. */
export const engineFeatures: HandlerFactory[] = [trainHandlers, runsHandlers, datasetsHandlers];
