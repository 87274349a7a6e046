// Entry point of a search worker process (forked by nas/runner/pool.ts). The runner is
// TypeScript run through tsx's loader, as bin/layerloom.js does for the CLI. This is the
// checkout's launcher; `npm run build` writes a compiled one (no tsx) at the same place in
// dist/, and engine/app-paths.ts picks the one that fits the running layout.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
