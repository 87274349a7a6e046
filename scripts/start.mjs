// `npm start`: until the designer (renderer + Electron shell) lands, run the engine on the
// embedded example so a fresh checkout shows something real: mlp-digits trained on the
// embedded digits set, with live progress in the terminal.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
process.stdout.write(
  'Layerloom: the graphical designer is not built yet; training the embedded example instead.\n' +
    'Example: examples/mlp-digits.loom.json on the embedded digits dataset.\n\n',
);
const r = spawnSync(process.execPath, [path.join(root, 'bin/layerloom.js'), 'train', path.join(root, 'examples/mlp-digits.loom.json'), '--data', 'digits', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
