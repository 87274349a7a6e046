import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliValues } from '../options.js';
import { searchPlanFromFlags } from './search-flags.js';

const space = path.join(import.meta.dirname, '../../examples/spaces/space-digits.loom.json');
const plan = (args: string[], values: Record<string, unknown>) => searchPlanFromFlags(args, values as CliValues);

describe('search flags -> plan', () => {
  it('an nb201 table search defaults to the paper budget, sequential, valid -> test', async () => {
    const p = await plan([], { strategy: 'evolution', evaluator: 'tabular:t.json', seed: '3' });
    expect(p).toMatchObject({ runs: 1, json: false });
    expect(p.config).toEqual({
      space: 'nb201',
      strategy: { name: 'evolution' },
      evaluator: { spec: 'tabular:t.json' },
      objective: { metric: 'valid' },
      report: 'test',
      budget: { seconds: 12_000 },
      seed: 3,
    });
  });

  it('a drawn space with trained trials carries the training flags and the workers', async () => {
    const p = await plan([space], { strategy: 'random', evaluator: 'train', epochs: '2', limit: '300', 'budget-trials': '4', workers: '2', json: true });
    expect(p.json).toBe(true);
    expect(p.config).toMatchObject({
      space: 'space-digits.loom.json',
      evaluator: { spec: 'train', train: { epochs: 2, limit: 300 } },
      objective: { metric: 'valAccuracy' },
      budget: { trials: 4 },
      workers: 2,
    });
    expect(p.config!.spaceDoc).toContain('"version"');
  });

  it('resume takes only an id, and no new-search flags', async () => {
    expect(await plan(['resume', 'exp-1'], { workers: '3' })).toEqual({ resumeId: 'exp-1', runs: 1, workersFlag: 3, json: false });
    await expect(plan(['resume'], {})).rejects.toThrow('usage: layerloom search resume EXPERIMENT_ID');
    await expect(plan(['resume', 'exp-1'], { runs: '2' })).rejects.toThrow('--runs does not apply to search resume');
  });

  it('refuses bad combinations, naming the flag', async () => {
    await expect(plan([], { evaluator: 'tabular:t.json' })).rejects.toThrow(/search needs --strategy/);
    await expect(plan([], { strategy: 'spos', evaluator: 'tabular:t.json' })).rejects.toThrow('--strategy spos trains a supernet: add --evaluator supernet');
    await expect(plan([], { strategy: 'random', evaluator: 'tabular:t.json', 'supernet-epochs': '3' })).rejects.toThrow(
      '--supernet-epochs applies to --evaluator supernet',
    );
    await expect(plan([], { strategy: 'random', evaluator: 'tabular:t.json', 'export-top': '2' })).rejects.toThrow('--export-top K needs -o DIR');
    await expect(plan([space, 'b.json'], { strategy: 'random' })).rejects.toThrow('search takes one space file, got 2');
    await expect(plan([], { strategy: 'random', evaluator: 'tabular:t.json', 'experiment-id': 'bad id' })).rejects.toThrow(/--experiment-id takes letters/);
  });
});
