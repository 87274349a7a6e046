// One import style in the renderer: relative imports name the module with its `.js` suffix
// (as engine/ and nas/ do under NodeNext), never bare, so both styles cannot creep back in.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './import-graph.js';

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Relative specifiers of `text` that carry no file extension. */
function bareRelativeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']*)'/g)) {
    if (!/\.[a-z0-9]+$/i.test(path.basename(m[1]))) out.push(m[1]);
  }
  return out;
}

describe('renderer import style', () => {
  it('finds a bare relative import and accepts suffixed ones', () => {
    expect(bareRelativeImports("import { a } from './a';\nimport b from '../b.js';\nimport './c.css';\nconst d = import('./d');")).toEqual(['./a', './d']);
  });

  it('every relative import in renderer/src names its .js module', () => {
    const bad = sources(path.join(repoRoot, 'renderer/src')).flatMap((f) =>
      bareRelativeImports(fs.readFileSync(f, 'utf8')).map((s) => `${path.relative(repoRoot, f)}: '${s}'`),
    );
    expect(bad, `write these with their .js suffix:\n${bad.join('\n')}`).toEqual([]);
  });
});
