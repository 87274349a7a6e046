/**
 * The import graph of the production sources (cli/, engine/, nas/, renderer/src, electron/):
 * every relative `import`/`export … from` (type-only ones included, since a type cycle still
 * ties two modules' designs together), resolved to files. Used by the cycle test.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Repository root. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

const SOURCE = /\.(ts|tsx)$/;
const TEST = /\.(test|testkit)\.tsx?$/;
const SPEC = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g;

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (SOURCE.test(entry.name) && !TEST.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
}

/** Resolves a relative specifier (`./x.js`) to the source file it names, or null. */
function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Map from repository-relative file to the repository-relative files it imports. */
export function importGraph(dirs: readonly string[]): Map<string, string[]> {
  const files: string[] = [];
  for (const d of dirs) walk(path.join(repoRoot, d), files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(SPEC)) {
      const target = resolve(file, m[1]);
      if (target && SOURCE.test(target) && !TEST.test(target)) deps.add(path.relative(repoRoot, target));
    }
    graph.set(path.relative(repoRoot, file), [...deps].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}
