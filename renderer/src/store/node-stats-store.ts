/**
 * Per-node statistics of the last finished training run (weight norm, activation mean/std
 * on a validation batch), keyed by node id. The training feature fills it; the canvas shows
 * it on hover — the first step toward profiling heat on the canvas.
 */
import { create } from 'zustand';

/** Statistics of one node. Absent fields were not measured (e.g. no weights). */
export interface NodeStats {
  /** L2 norm of all the node's weights. */
  weightNorm?: number;
  /** Mean and standard deviation of the node's output on one validation batch. */
  activationMean?: number;
  activationStd?: number;
  /** Fraction of exactly-zero activations (dead ReLUs). */
  zeroFraction?: number;
}

interface NodeStatsState {
  /** The run the statistics come from. */
  runId: string | null;
  stats: Record<string, NodeStats>;
  set(runId: string | null, stats: Record<string, NodeStats>): void;
}

/** The store of per-node statistics. */
export const useNodeStatsStore = create<NodeStatsState>((set) => ({
  runId: null,
  stats: {},
  set: (runId, stats) => set({ runId, stats }),
}));
