/**
 * Entry point of the engine's utility process in a packaged app: runs the compiled CLI
 * (dist/cli/main.js, built by `npm run build`) with the arguments main passed, exactly as
 * bin/layerloom.js does in a checkout. The import path is computed at run time so the bundler
 * leaves the engine out of the Electron bundle: electron/ never links engine code.
 */
// The engine starts helper processes (search runs, trial workers, estimates) with
// process.execPath, which here is the Electron binary: make those children plain Node.
process.env.ELECTRON_RUN_AS_NODE = '1';
const cliUrl = new URL('../cli/main.js', import.meta.url).href;
const { main } = (await import(cliUrl)) as { main: (argv: string[]) => Promise<number> };
process.exitCode = await main(process.argv.slice(2));
