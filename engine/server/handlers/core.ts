/** Handlers of the core methods: handshake, templates, project files in the projects folder. */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { layerloomVersion } from '../../jobs/version.js';
import type { EngineContext } from '../context.js';
import { CallError, type HandlerTable } from '../dispatcher.js';

/** First line of a document's description, for the template list. */
function describe(text: string): { name: string; description: string } {
  try {
    const doc = JSON.parse(text) as { name?: string; description?: string };
    return { name: doc.name ?? '', description: doc.description ?? '' };
  } catch {
    return { name: '', description: '' };
  }
}

/** Writes a file atomically so a crash mid-save never leaves half a project (nor its temp file on a full disk). */
function writeAtomic(file: string, text: string): void {
  writeFileAtomic(file, text);
}

/** Handlers for engine.hello, examples.list and files.*. */
export function coreHandlers(engine: EngineContext): HandlerTable {
  const examplesDir = path.join(engine.appRoot, 'examples');
  return {
    'engine.hello': async () => ({ version: layerloomVersion(), dataDir: engine.dataDir, projectsDir: engine.projectsDir, pid: process.pid }),
    // Top-level examples first, then the search spaces of examples/spaces/ as `spaces/<name>`.
    'examples.list': async () =>
      ['', 'spaces/'].flatMap((sub) => {
        const dir = path.join(examplesDir, sub);
        if (!fs.existsSync(dir)) return [];
        return fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.loom.json'))
          .sort()
          .map((f) => {
            const text = fs.readFileSync(path.join(dir, f), 'utf8');
            const { name, description } = describe(text);
            return { id: `${sub}${f.replace(/\.loom\.json$/, '')}`, name: name || f, description, text };
          });
      }),
    'files.list': async () => {
      fs.mkdirSync(engine.projectsDir, { recursive: true });
      const files = fs
        .readdirSync(engine.projectsDir)
        .filter((f) => f.endsWith('.loom.json'))
        .map((name) => {
          const st = fs.statSync(path.join(engine.projectsDir, name));
          return { name, size: st.size, modified: st.mtime.toISOString(), t: st.mtimeMs };
        })
        .sort((a, b) => b.t - a.t)
        .map(({ t: _t, ...f }) => f);
      return { dir: engine.projectsDir, files };
    },
    'files.read': async ({ name }) => {
      const file = path.join(engine.projectsDir, name);
      const st = fs.lstatSync(file, { throwIfNoEntry: false });
      if (!st) throw new CallError('not-found', `no project file "${name}" in ${engine.projectsDir}`, { field: 'name' });
      // A link could lead anywhere; the projects folder holds only files the engine wrote.
      if (!st.isFile())
        throw new CallError('bad-params', `project "${name}" is not a regular file (a link or a folder); the engine reads only plain project files`, {
          field: 'name',
        });
      return { name, text: fs.readFileSync(file, 'utf8') };
    },
    'files.write': async ({ name, text }) => {
      fs.mkdirSync(engine.projectsDir, { recursive: true });
      const file = path.join(engine.projectsDir, name);
      writeAtomic(file, text);
      return { name, path: file };
    },
  };
}
