// Entry point of an engine job process (forked by engine/server/jobs/train-jobs.ts). The
// engine is TypeScript run through tsx's loader, as bin/layerloom.js does for the CLI. This is
// the checkout's launcher; `npm run build` writes a compiled one (no tsx) at the same place in
// dist/, and engine/app-paths.ts picks the one that fits the running layout.
import { register } from 'tsx/esm/api';

register();
await import('./job-process.ts');
