/**
 * The session against a scripted engine: launch + watch into the store, probabilities as
 * canvas heat, stop / resume, opening a past experiment, a trial on the canvas, "Open as
 * design", and the export (with the Electron save dialog when the host bridge is present).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/client.js';
import { useDocumentStore } from '../../store/document-store.js';
import { useViewStore } from '../../store/view-store.js';
import { objectivesOf, SearchSession, type Caller } from './search-session.js';
import { useSearchStore } from './search-store.js';
import { trial } from './test-fixtures.js';
import type { DecisionInfo, SearchEvent } from './types.js';

const SPACE = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../examples/spaces/space-digits.loom.json'), 'utf8');
const TRIAL_DOC = JSON.stringify({ version: 1, name: 'trial', nodes: [{ id: 'x', kind: 'Input', params: { shape: [4] } }], edges: [] });
const decisions: DecisionInfo[] = [{ name: 'head.filters', options: [16, 32, 64], kind: 'param', node: 'head', param: 'filters' }];

interface Call {
  method: string;
  params: Record<string, unknown>;
}

/** A scripted engine: answers by method, streams `events` on search.watch. */
function fakeEngine(script: { events?: SearchEvent[]; watchStatus?: string; fail?: Record<string, EngineError>; live?: boolean } = {}) {
  const calls: Call[] = [];
  let stopRequested = () => undefined as void;
  const client = {
    async call(method: string, params: Record<string, unknown>, opts: { onEvent?: (e: unknown) => void; signal?: AbortSignal } = {}) {
      calls.push({ method, params });
      const fail = script.fail?.[method];
      if (fail) throw fail;
      switch (method) {
        case 'search.start':
          return { experimentId: 'e1' };
        case 'search.watch':
          for (const e of script.events ?? []) opts.onEvent?.(e);
          // A stream that a stop ends, like the engine's.
          if (script.watchStatus === 'cancelled') await new Promise<void>((resolve) => (stopRequested = resolve));
          return { status: script.watchStatus ?? 'completed' };
        case 'search.stop':
          stopRequested();
          return { stopped: true };
        case 'search.resume':
          return { experimentId: params.experimentId };
        case 'search.get':
          return {
            experiment: {
              id: 'old',
              status: 'completed',
              createdAt: 5,
              updatedAt: 6,
              trialsDone: 2,
              bestTrial: 1,
              strategy: 'evolution',
              evaluator: 'train',
              project: 'space-digits',
              live: script.live ?? false,
              error: null,
            },
            trials: [trial(0), trial(1)],
            spaceText: SPACE,
            config: { objectives: ['valAccuracy:max', 'params:min'], budget: { trials: 6 } },
          };
        case 'space.summary':
          return { decisions };
        case 'search.trialGraph':
          return { text: TRIAL_DOC, changedNodes: ['x'], changedEdges: ['e'], sample: { 'head.filters': 32 } };
        case 'search.exportTrial':
          return { path: (params.path as string | undefined) ?? '/data/exports/e1-trial1.onnx', metrics: {} };
      }
      throw new Error(`unexpected ${method}`);
    },
  };
  return { client: client as unknown as Caller, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('search session', () => {
  beforeEach(() => {
    useSearchStore.getState().clear();
    useViewStore.setState({ readOnly: null, nodeHeat: {}, edgeHeat: {} });
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('launches, streams trials and probabilities into the store and the canvas heat, and ends', async () => {
    const events: SearchEvent[] = [
      { event: 'probabilities', epoch: 1, choices: { 'head.filters': { '16': 0.2, '32': 0.7, '64': 0.1 } } },
      { event: 'trial', experimentId: 'e1', trial: trial(0), bestTrialId: 0 },
      { event: 'trial', experimentId: 'e1', trial: trial(1, { parent: 0, changed: 'head.filters' }), bestTrialId: 1 },
      { event: 'done', status: 'completed', best: { arch: 'a', trialId: 1 } },
    ];
    const { client, calls } = fakeEngine({ events });
    const id = await new SearchSession(client).launch({
      text: SPACE,
      project: 'space-digits',
      settings: { strategy: 'evolution', evaluator: 'train', budgetTrials: 6, objectives: ['valAccuracy'] },
      decisions,
    });
    expect(id).toBe('e1');
    await tick();
    expect(calls.map((c) => c.method)).toEqual(['search.start', 'search.watch']);
    expect(calls[0].params).toMatchObject({ project: 'space-digits', settings: { budgetTrials: 6 } });
    const s = useSearchStore.getState();
    expect(s).toMatchObject({
      experimentId: 'e1',
      origin: 'launched',
      status: 'completed',
      watching: false,
      bestTrialId: 1,
      budgetTrials: 6,
      objectives: ['valAccuracy'],
    });
    expect(s.trials).toHaveLength(2);
    expect(s.spaceDoc?.name).toBe('space-digits');
    expect(useViewStore.getState().nodeHeat).toEqual({ head: 0.7 });
    // Per-option probabilities too (an opened Cell draws its `<cell>.<i->j>` edges from them).
    expect(useViewStore.getState().choiceHeat).toEqual({ 'head.filters': { '16': 0.2, '32': 0.7, '64': 0.1 } });
  });

  it('reports a failed launch to the caller and a lost stream in the store', async () => {
    const refused = new EngineError({ code: 'graph', message: 'no candidate of this space is valid', where: { node: 'stem' } });
    const { client } = fakeEngine({ fail: { 'search.start': refused } });
    await expect(new SearchSession(client).launch({ text: SPACE, project: 'p', settings: { strategy: 'random', evaluator: 'train' }, decisions })).rejects.toBe(
      refused,
    );
    expect(useSearchStore.getState().experimentId).toBeNull();

    const lost = fakeEngine({ fail: { 'search.watch': new EngineError({ code: 'failed', message: 'the connection to the engine was lost' }) } });
    await new SearchSession(lost.client).launch({ text: SPACE, project: 'p', settings: { strategy: 'random', evaluator: 'train' }, decisions });
    await tick();
    expect(useSearchStore.getState()).toMatchObject({ error: 'the connection to the engine was lost', watching: false });
  });

  it('stops and resumes the experiment, watching it again', async () => {
    const { client, calls } = fakeEngine({ watchStatus: 'cancelled' });
    const session = new SearchSession(client);
    await session.launch({ text: SPACE, project: 'p', settings: { strategy: 'evolution', evaluator: 'train' }, decisions });
    await tick();
    expect(useSearchStore.getState()).toMatchObject({ status: 'starting', watching: true });
    await session.stop();
    await tick();
    expect(useSearchStore.getState()).toMatchObject({ status: 'cancelled', watching: false });
    await session.resume();
    expect(useSearchStore.getState().status).toBe('running');
    await session.stop();
    await tick();
    expect(calls.map((c) => c.method)).toEqual(['search.start', 'search.watch', 'search.stop', 'search.resume', 'search.watch', 'search.stop']);
    expect(calls[3].params).toEqual({ experimentId: 'e1' });
  });

  it('opens a past experiment read-only from SQLite, watching only a live one', async () => {
    const { client, calls } = fakeEngine();
    await new SearchSession(client).open('old');
    expect(useSearchStore.getState()).toMatchObject({
      experimentId: 'old',
      origin: 'opened',
      status: 'completed',
      bestTrialId: 1,
      budgetTrials: 6,
      objectives: ['valAccuracy:max', 'params:min'],
      decisions,
    });
    expect(useSearchStore.getState().trials).toHaveLength(2);
    expect(calls.map((c) => c.method)).toEqual(['search.get', 'space.summary']);
    const live = fakeEngine({ live: true });
    await new SearchSession(live.client).open('old');
    expect(live.calls.map((c) => c.method)).toEqual(['search.get', 'space.summary', 'search.watch']);
    expect(objectivesOf({ objective: { metric: 'valid' } })).toEqual(['valid']);
    expect(objectivesOf(null)).toEqual([]);
  });

  it('shows a trial read-only with its differences, opens it as a design, exports it', async () => {
    const { client, calls } = fakeEngine();
    const session = new SearchSession(client);
    await session.open('old');
    await session.showTrial(1, 'parent');
    expect(calls.at(-1)).toEqual({ method: 'search.trialGraph', params: { experimentId: 'old', trialId: 1, against: 'parent' } });
    const view = useViewStore.getState().readOnly!;
    expect(view.doc.name).toBe('trial');
    expect(view).toMatchObject({ highlightNodes: ['x'], highlightEdges: ['e'] });
    expect(view.title).toContain('#1');
    expect(useSearchStore.getState().selected).toMatchObject({
      trialId: 1,
      against: 'parent',
      loading: false,
      changedNodes: ['x'],
      sample: { 'head.filters': 32 },
    });

    await session.exportTrial();
    expect(calls.at(-1)).toEqual({ method: 'search.exportTrial', params: { experimentId: 'old', trialId: 1 } });
    expect(useSearchStore.getState().selected).toMatchObject({ exporting: false, exportPath: '/data/exports/e1-trial1.onnx' });

    const before = useDocumentStore.getState().revision;
    session.openAsDesign();
    expect(useViewStore.getState().readOnly).toBeNull();
    expect(useSearchStore.getState().selected).toBeNull();
    expect(useDocumentStore.getState()).toMatchObject({ fileName: null, dirty: true, revision: before + 1 });
    expect(useDocumentStore.getState().doc.name).toBe('trial');
  });

  it('asks Electron for the export path, and exports nothing when the dialog is cancelled', async () => {
    const { client, calls } = fakeEngine();
    const session = new SearchSession(client);
    await session.open('old');
    await session.showTrial(0);
    const answers = [{ path: '/home/me/best.onnx', grant: 'ab'.repeat(32) }, null];
    (globalThis as { window?: unknown }).window = { layerloomHost: { chooseExportPath: async () => answers.shift() } };
    await session.exportTrial();
    expect(calls.at(-1)).toEqual({
      method: 'search.exportTrial',
      params: { experimentId: 'old', trialId: 0, path: '/home/me/best.onnx', grant: 'ab'.repeat(32) },
    });
    const n = calls.length;
    await session.exportTrial();
    expect(calls.length).toBe(n);
  });

  it('watches the running experiment again when the connection comes back', async () => {
    const lost = new EngineError({ code: 'failed', message: 'the connection to the engine was lost' });
    let failWatch = true;
    const { client, calls } = fakeEngine();
    const statusListeners: ((s: string) => void)[] = [];
    const flaky = {
      call: (method: string, params: never, opts: never) =>
        method === 'search.watch' && failWatch ? Promise.reject(lost) : client.call(method as 'search.get', params, opts),
      onStatus: (cb: (s: string) => void) => (statusListeners.push(cb), () => undefined),
    } as unknown as Caller;
    const session = new SearchSession(flaky);
    await session.launch({ text: SPACE, project: 'p', settings: { strategy: 'evolution', evaluator: 'train' }, decisions });
    await tick();
    expect(useSearchStore.getState()).toMatchObject({ status: 'starting', watching: false, error: lost.message });
    failWatch = false;
    for (const cb of statusListeners) cb('open');
    await tick();
    expect(calls.filter((c) => c.method === 'search.watch')).toHaveLength(1);
    expect(useSearchStore.getState()).toMatchObject({ status: 'completed', watching: false, error: null });
  });
});
