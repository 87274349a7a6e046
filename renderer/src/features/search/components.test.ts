/**
 * The panel's views render from the store without a browser (server rendering): an
 * experiment with trials, a family tree, DARTS probabilities and a selected trial. The
 * browser test (tests/e2e/search.test.ts) drives the interactive parts.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../engine/client.js';
import { EngineProvider } from '../../engine/engine-context.js';
import { ExperimentView } from './ExperimentView.js';
import { useSearchStore } from './search-store.js';
import { trial } from './test-fixtures.js';
import { TrialPanel } from './TrialPanel.js';

const client = { call: async () => ({}), onStatus: () => () => undefined, onNotice: () => () => undefined } as unknown as EngineClient;

describe('search panel views', () => {
  // Server rendering reads zustand's initial state object, so each render copies the state
  // the test set up into it (and the original is put back at the end).
  const initial = useSearchStore.getInitialState();
  const saved = { ...initial };
  const render = (component: () => unknown) => {
    Object.assign(initial, useSearchStore.getState());
    return renderToStaticMarkup(createElement(EngineProvider, { client, children: createElement(component as () => null) }));
  };
  afterAll(() => void Object.assign(initial, saved));
  beforeEach(() => useSearchStore.getState().clear());

  it('renders nothing before an experiment', () => {
    expect(render(ExperimentView)).toBe('');
    expect(render(TrialPanel)).toBe('');
  });

  it('renders a running evolution: progress, stop, rows, family tree and probabilities', () => {
    const st = useSearchStore.getState();
    st.begin({ experimentId: 'e1', origin: 'launched', strategy: 'evolution', evaluator: 'train', objectives: ['valAccuracy'], budgetTrials: 6 });
    st.patch({ watching: true });
    st.apply({ event: 'trial', experimentId: 'e1', trial: trial(0), bestTrialId: 0 });
    st.apply({ event: 'trial', experimentId: 'e1', trial: trial(1, { parent: 0, changed: 'head.filters' }), bestTrialId: 1 });
    st.apply({ event: 'probabilities', epoch: 2, choices: { 'head.filters': { '16': 0.25, '32': 0.75 } } });
    const html = render(ExperimentView);
    expect(html).toContain('data-testid="search-stop"');
    expect(html).toContain('2 / 6 trials');
    expect(html).toContain('data-testid="trial-row-0"');
    expect(html).toContain('data-testid="trial-row-1"');
    expect(html).toContain('data-testid="family-node-1"');
    expect(html).toContain('head.filters=32');
    expect(html).toContain('data-testid="probabilities"');
    expect(html).toContain('75%');
  });

  it('offers Resume after a stop and shows a failed search with its error', () => {
    const st = useSearchStore.getState();
    st.begin({ experimentId: 'e1', origin: 'opened', status: 'cancelled' });
    expect(render(ExperimentView)).toContain('data-testid="search-resume"');
    st.apply({ event: 'done', status: 'failed', error: 'no dataset' });
    const html = render(ExperimentView);
    expect(html).toContain('The search failed: no dataset');
    expect(html).not.toContain('data-testid="search-stop"');
  });

  it('renders the selected trial with its changed decisions and the export path', () => {
    const st = useSearchStore.getState();
    st.begin({
      experimentId: 'e1',
      origin: 'opened',
      status: 'completed',
      trials: [trial(0), trial(1, { parent: 0, changed: 'head.filters' })],
      decisions: [{ name: 'head.filters', options: [16, 32], kind: 'param', node: 'head' }],
    });
    st.select({
      trialId: 1,
      against: 'design',
      loading: false,
      doc: { version: 1, nodes: [], edges: [] },
      sample: { 'head.filters': 32 },
      changedNodes: ['head'],
      changedEdges: [],
      error: null,
      exportPath: '/d/exports/e1-trial1.onnx',
      exporting: false,
    });
    const html = render(TrialPanel);
    expect(html).toContain('Trial #1');
    expect(html).toContain('<span class="changed" title="differs from the design">head.filters=32</span>');
    expect(html).toContain('data-testid="open-as-design"');
    expect(html).toContain('/d/exports/e1-trial1.onnx');
  });
});
