// `npm start`: build what is needed, then open the designer. With Electron installed it
// launches the desktop shell; otherwise (Electron is an optional dependency whose binary
// download can fail) it runs `layerloom serve`, prints the URL with its token and opens the
// default browser where one exists. The designer opens on the mlp-digits example.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildRenderer } from './build-renderer.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron binary when the optional package installed with its binary, else null. */
function electronBinary() {
  try {
    const bin = require('electron');
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

if (buildRenderer({ ifStale: true })) process.stdout.write('built the designer (renderer/dist)\n');
const electron = electronBinary();
const wantWeb = process.argv.includes('--web');
if (electron && !wantWeb && fs.existsSync(path.join(root, 'electron/build.mjs'))) {
  await import(pathToFileURL(path.join(root, 'electron/build.mjs')).href);
  // The development engine runs on the Node that ran `npm start` (native modules match it).
  process.env.LAYERLOOM_NODE = process.execPath;
  run(electron, [path.join(root, 'dist/electron/main.js')]);
} else {
  if (!wantWeb) process.stdout.write('Electron is not installed: serving the designer in web mode.\n');
  const extra = process.argv.slice(2).filter((a) => a !== '--web');
  run(process.execPath, [path.join(root, 'bin/layerloom.js'), 'serve', '--open', ...extra]);
}
