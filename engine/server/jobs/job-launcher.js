// Entry point of an engine job process (forked by engine/server/jobs/train-jobs.ts). The
// engine is TypeScript run through tsx's loader, as bin/layerloom.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./job-process.ts');
