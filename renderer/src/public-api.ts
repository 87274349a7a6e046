/**
 * The renderer's public session API: what code outside the renderer (the engine-backed tests
 * in tests/server) may use. Everything else in renderer/src is the renderer's own business;
 * the lint rule `layerloom/boundaries` keeps tests/ to this file.
 */
export { EngineClient, EngineError, type SocketLike } from './engine/client.js';
export { runsSession, useRunsStore } from './features/runs/runs-session.js';
export { trainingSession, useTrainingStore } from './features/training/training-session.js';
export { useNodeStatsStore } from './store/node-stats-store.js';
export { useViewStore } from './store/view-store.js';
