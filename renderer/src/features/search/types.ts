/** The search protocol's shapes as the search panel uses them (derived, never redeclared). */
import type { z } from 'zod';
import type { EventOf, Result } from '../../../../engine/server/protocol/index.js';
import type { decisionInfoSchema, searchSettingsSchema, strategyNameSchema, trialInfoSchema } from '../../../../engine/server/protocol/search.js';

/** One finished trial (a row of the table, a point of the scatter). */
export type TrialInfo = z.output<typeof trialInfoSchema>;
/** One decision of a drawn space and where it is drawn. */
export type DecisionInfo = z.output<typeof decisionInfoSchema>;
/** What `search.start` launches. */
export type SearchSettings = z.input<typeof searchSettingsSchema>;
/** random | evolution | reinforce | spos | enas | darts. */
export type StrategyName = z.output<typeof strategyNameSchema>;
/** An event of `search.watch`. */
export type SearchEvent = EventOf<'search.watch'>;
/** The live summary of a drawn space. */
export type SpaceSummaryInfo = Result<'space.summary'>;
/** An experiment of `search.list`. */
export type ExperimentInfo = Result<'search.list'>[number];
/** The cost estimate shown before launch. */
export type Estimate = Result<'search.estimate'>;
/** Per-choice probabilities: decision name -> option (as text) -> probability. */
export type Probabilities = Record<string, Record<string, number>>;

/** What the views of an experiment's trials (table, scatter, family tree) are given. */
export interface TrialViewProps {
  trials: TrialInfo[];
  /** e.g. `['valAccuracy', 'params:min']`; the first is optimised. */
  objectives: string[];
  bestTrialId: number | null;
  selectedId: number | null;
  onSelect(trialId: number): void;
}
