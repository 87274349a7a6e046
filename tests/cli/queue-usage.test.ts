// Usage of `layerloom worker` and `search --queue`: one line naming what is wrong, the
// password never echoed.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('queue flags', () => {
  it('worker needs a queue URL', async () => {
    const r = await runCli(['worker']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: worker needs --queue redis://HOST:PORT (or rediss:// for TLS), or LAYERLOOM_QUEUE');
  });

  it('refuses a URL that is not redis:// or rediss://, without echoing its password', async () => {
    const r = await runCli(['worker', '--queue', 'http://:topsecret@127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: queue URL "http://:***@127.0.0.1:1": the scheme must be redis:// or rediss:// (TLS), got http://');
  });

  it('checks --concurrency and --stall-seconds', async () => {
    expect((await runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0'])).stderr).toContain(
      '--concurrency expects an integer ≥ 1, got "0"',
    );
    expect((await runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--stall-seconds', '0.1'])).stderr).toContain('--stall-seconds expects a number ≥ 1');
  });

  it('a weight-sharing search does not go to a queue', async () => {
    const r = await runCli(['search', '--strategy', 'darts', '--evaluator', 'supernet', '--queue', 'redis://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--queue does not apply to --evaluator supernet');
  });
});
