// The designer's "run on: queue URL": the search process gets the URL in LAYERLOOM_QUEUE (so a
// password never shows on its command line), for a new search and for a resume; a search on
// this machine gets none, even when the engine itself was started with one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SearchJobs } from './search-jobs.js';
import type { SearchEvent } from './cli-events.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-sjobs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
// A stand-in for the CLI: prints what it was given and ends.
const fakeCli = path.join(dir, 'fake-cli.mjs');
fs.writeFileSync(fakeCli, `console.log('queue=' + (process.env.LAYERLOOM_QUEUE ?? 'none') + ' args=' + process.argv.slice(2).join(' '));\n`);

async function logOf(jobs: SearchJobs, id: string): Promise<string> {
  const lines: string[] = [];
  await jobs.watch(id, (e: SearchEvent) => e.event === 'log' && lines.push(e.line), new AbortController().signal);
  return lines.join('\n');
}

describe('search processes and the queue URL', () => {
  it('hands the queue URL over in the environment, never as an argument', async () => {
    const before = process.env.LAYERLOOM_QUEUE;
    process.env.LAYERLOOM_QUEUE = 'redis://engine-own:1';
    try {
      const jobs = new SearchJobs(dir, fakeCli);
      const url = 'redis://:secret@10.0.0.5:6379';
      const id = jobs.start('{}', 'p', { strategy: 'random', evaluator: 'train', queue: url });
      const log = await logOf(jobs, id);
      expect(log).toContain(`queue=${url} `);
      expect(log.split('args=')[1]).not.toContain('secret');

      jobs.resume(id, 2, url);
      expect(await logOf(jobs, id)).toContain(`queue=${url} args=search resume ${id} --workers 2`);

      const local = jobs.start('{}', 'p', { strategy: 'random', evaluator: 'train' });
      expect(await logOf(jobs, local)).toContain('queue=none ');
    } finally {
      if (before === undefined) delete process.env.LAYERLOOM_QUEUE;
      else process.env.LAYERLOOM_QUEUE = before;
    }
  });
});
