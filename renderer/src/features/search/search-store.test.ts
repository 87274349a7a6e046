import { beforeEach, describe, expect, it } from 'vitest';
import { emptyExperiment, isActive, progressLine, reduceEvent, useSearchStore, type ExperimentView } from './search-store.js';
import { trial } from './test-fixtures.js';
import type { SearchEvent } from './types.js';

const fold = (events: SearchEvent[]) =>
  events.reduce<ExperimentView>((s, e) => ({ ...s, ...reduceEvent(s, e) }), { ...emptyExperiment, experimentId: 'e1', status: 'starting' });

describe('search store', () => {
  beforeEach(() => useSearchStore.getState().clear());

  it('folds trial events in arrival order, replacing a trial seen twice (replay after a reload)', () => {
    const s = fold([
      { event: 'trial', experimentId: 'e1', trial: trial(0), bestTrialId: 0 },
      { event: 'trial', experimentId: 'e1', trial: trial(1), bestTrialId: 1 },
      { event: 'trial', experimentId: 'e1', trial: { ...trial(0), objective: 0.99 }, bestTrialId: null },
    ]);
    expect(s.status).toBe('running');
    expect(s.trials.map((t) => [t.trialId, t.objective])).toEqual([
      [0, 0.99],
      [1, 0.51],
    ]);
    expect(s.bestTrialId).toBe(1);
  });

  it('ends with the done status; a failed search keeps its error, else the last log line', () => {
    expect(fold([{ event: 'done', status: 'completed', best: { arch: 'x', trialId: 4 } }])).toMatchObject({ status: 'completed', bestTrialId: 4, error: null });
    expect(fold([{ event: 'done', status: 'failed', error: 'out of memory' }])).toMatchObject({ status: 'failed', error: 'out of memory' });
    expect(
      fold([
        { event: 'log', line: 'error: no dataset' },
        { event: 'log', line: '' },
        { event: 'done', status: 'failed' },
      ]),
    ).toMatchObject({ error: 'error: no dataset' });
  });

  it('keeps the latest probabilities and progress line, and a bounded log', () => {
    const s = fold([
      { event: 'probabilities', epoch: 1, choices: { a: { x: 0.5, y: 0.5 } } },
      { event: 'probabilities', epoch: 2, choices: { a: { x: 0.9, y: 0.1 } } },
      {
        event: 'progress',
        kind: 'supernet-epoch',
        data: { experimentId: 'e1', strategy: 'darts', epoch: 2, epochs: 10, metrics: { loss: 0.123456, tag: 'x' }, derived: null },
      },
      ...Array.from({ length: 250 }, (_, i): SearchEvent => ({ event: 'log', line: `line ${i}` })),
    ]);
    expect(s.probabilities).toEqual({ choices: { a: { x: 0.9, y: 0.1 } }, epoch: 2, step: undefined });
    expect(s.progress).toBe('supernet-epoch: epoch 2, epochs 10, loss 0.123');
    expect(s.log).toHaveLength(200);
    expect(s.log.at(-1)).toBe('line 249');
    expect(progressLine('tick', {})).toBe('tick');
  });

  it('starts an experiment fresh but keeps the settings form', () => {
    const st = useSearchStore.getState();
    st.setForm({ ...st.form, budgetTrials: '6' });
    st.begin({ experimentId: 'e1', origin: 'launched' });
    st.apply({ event: 'trial', experimentId: 'e1', trial: trial(0), bestTrialId: 0 });
    st.select({
      trialId: 0,
      against: 'design',
      loading: false,
      doc: null,
      sample: null,
      changedNodes: [],
      changedEdges: [],
      error: null,
      exportPath: null,
      exporting: false,
    });
    st.begin({ experimentId: 'e2', origin: 'opened', status: 'completed', trials: [trial(3)] });
    const s = useSearchStore.getState();
    expect(s).toMatchObject({ experimentId: 'e2', status: 'completed', selected: null, bestTrialId: null });
    expect(s.trials.map((t) => t.trialId)).toEqual([3]);
    expect(s.form.budgetTrials).toBe('6');
    expect(isActive('running')).toBe(true);
    expect(isActive('cancelled')).toBe(false);
  });
});
