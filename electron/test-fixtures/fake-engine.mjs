// A stand-in for `layerloom serve --json` in the engine-host tests. The mode (argv[2]) picks
// a behaviour; it prints log lines around the ready line like the real engine does.
//   ready              ready line, then runs until SIGTERM
//   serve              as ready, after logging its pid and arguments (the real CLI's verb)
//   crash-after-ready  ready line, then exits with code 1 shortly after
//   crash-first N FILE crashes after ready on the first N launches (counted in FILE), then stays up
//   exit-before-ready  a stderr line, then exits with code 3
//   never-ready        logs but never prints the ready line
//   ignore-sigterm     ready line, ignores SIGTERM (only SIGKILL ends it)
//   wrong-token        ready line with a token other than LAYERLOOM_TOKEN
import fs from 'node:fs';
import { setInterval, setTimeout } from 'node:timers';

const [mode, ...rest] = process.argv.slice(2);
const token = process.env.LAYERLOOM_TOKEN ?? '';
const port = 40000 + (process.pid % 20000);
const ready = (t = token) =>
  process.stdout.write(`${JSON.stringify({ event: 'listening', host: '127.0.0.1', port, token: t, url: `http://127.0.0.1:${port}/?token=${t}` })}\n`);
const stayAlive = () => setInterval(() => undefined, 1000);

process.stdout.write('fake engine: loading\n');
process.stderr.write('fake engine: a warning on stderr\n');
switch (mode) {
  case 'serve':
    process.stdout.write(`fake engine: pid ${process.pid}\nfake engine: args ${process.argv.slice(2).join(' ')}\n`);
    ready();
    stayAlive();
    break;
  case 'ready':
    ready();
    stayAlive();
    break;
  case 'crash-after-ready':
    ready();
    setTimeout(() => process.exit(1), 50);
    break;
  case 'crash-first': {
    const [times, file] = rest;
    const launches = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) + 1 : 1;
    fs.writeFileSync(file, String(launches));
    ready();
    if (launches <= Number(times)) setTimeout(() => process.exit(1), 50);
    else stayAlive();
    break;
  }
  case 'exit-before-ready':
    process.stderr.write('fatal: could not open the database\n');
    process.exit(3);
    break;
  case 'never-ready':
    stayAlive();
    break;
  case 'ignore-sigterm':
    process.on('SIGTERM', () => process.stdout.write('fake engine: ignoring SIGTERM\n'));
    ready();
    stayAlive();
    break;
  case 'wrong-token':
    ready('not-the-token');
    stayAlive();
    break;
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exit(2);
}
