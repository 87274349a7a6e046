/**
 * Test helper: the production dependency closure of the checkout, read from node_modules'
 * package.json files (dependencies and installed optionalDependencies, recursively; never
 * devDependencies), so a test can lay out a folder the way an installed package has it.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where `name` resolves from a package in `fromDir`, the way Node looks it up. */
function resolvePackage(name: string, fromDir: string, root: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.resolve(dir) === path.resolve(root)) return null;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The top-level names in `<root>/node_modules` that production code can reach from the root
 * package, skipping `exclude` (and what only they need). A package nested in another's own
 * node_modules travels with its parent folder, so only top-level names are returned.
 */
export function productionPackages(root: string, exclude: readonly string[] = []): string[] {
  const top = new Set<string>();
  const seen = new Set<string>();
  const topDir = path.join(root, 'node_modules');
  const visit = (pkgDir: string, optional: Set<string>, deps: string[]) => {
    for (const name of deps) {
      if (exclude.includes(name)) continue;
      const dir = resolvePackage(name, pkgDir, root);
      if (dir === null) {
        if (optional.has(name)) continue;
        throw new Error(`production dependency ${name} (needed by ${path.relative(root, pkgDir) || 'the root package'}) is not installed`);
      }
      const real = fs.realpathSync(dir);
      if (seen.has(real)) continue;
      seen.add(real);
      const rel = path.relative(topDir, dir).split(path.sep);
      if (!rel[0].startsWith('..')) top.add(rel[0].startsWith('@') ? `${rel[0]}/${rel[1]}` : rel[0]);
      visitPackage(dir);
    }
  };
  const visitPackage = (dir: string) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
    visit(dir, optional, [...Object.keys(pkg.dependencies ?? {}), ...optional]);
  };
  visitPackage(root);
  return [...top].sort();
}
