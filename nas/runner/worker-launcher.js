// Entry point of a search worker process (forked by nas/runner/pool.ts). The runner is
// TypeScript run through tsx's loader, as bin/layerloom.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
