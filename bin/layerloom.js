#!/usr/bin/env -S node --stack-size=4000
// Launcher for the `layerloom` CLI. The engine is TypeScript run through tsx's loader, so
// `npx layerloom` works straight from a checkout with no build step (tsx is a devDependency,
// installed by `npm install` in a checkout). The build's own launcher is dist/bin/layerloom.js
// (scripts/build.mjs): compiled JavaScript, no tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
