#!/usr/bin/env -S node --stack-size=4000
// Launcher for the `layerloom` CLI. The engine is TypeScript run through tsx's loader, so
// `npx layerloom` works straight from a checkout with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli.ts');
process.exitCode = await main(process.argv.slice(2));
