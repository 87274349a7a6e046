// The module walls of ARCHITECTURE.md ("Boundaries"), checked by `npm run lint`.
//
// Every static import, re-export and literal dynamic import(...) is resolved against the file
// that makes it, and the pair (importing folder, imported file) is judged by the rules below.
// Relative paths are resolved, so `../../nas/x.js` is caught at any depth; bare package
// specifiers are only checked for the test runner (production code must not import vitest).
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Repository-relative path with forward slashes, or null when outside the repository. */
function rel(abs) {
  const r = path.relative(root, abs).split(path.sep).join('/');
  return r.startsWith('..') ? null : r;
}

const isTestFile = (f) => /\.test\.tsx?$/.test(f) || f.startsWith('tests/') || /\.testkit\.tsx?$/.test(f);
const isTestkit = (f) => /\.testkit\.(ts|tsx|js)$/.test(f);
const stripExt = (f) => f.replace(/\.(js|ts|tsx|mjs)$/, '');
const under = (f, dir) => f === dir || f.startsWith(dir + '/');

/**
 * The pure engine and nas modules the renderer may import (they import neither tf.js nor
 * onnxruntime nor Node built-ins): the protocol, the graph, the layer registry, the training
 * section's schema and the pure drawn-space code.
 */
const RENDERER_MAY_IMPORT = [
  'engine/server/protocol/',
  'engine/graph/',
  'engine/layers/',
  'engine/train/config',
  'nas/space/drawn-parse',
  'nas/space/drawn-materialize',
  'nas/space/drawn-cell',
  'nas/space/nb201',
  'nas/space/types',
];
/** Extra pure fixtures renderer tests may read. */
const RENDERER_TESTS_MAY_IMPORT = ['nas/space/drawn-fixtures'];

/** The one door from tests/ into the renderer. */
const RENDERER_PUBLIC_API = 'renderer/src/public-api';

/** Returns why `from` may not import `to` (repository-relative paths), or null. */
export function violation(from, to) {
  const test = isTestFile(from);
  if (!test && isTestkit(to)) return `production code may not import the test helper ${to}`;
  // The one exception: the external-tool probe (tests/tools.ts) serves every test file, so
  // a test beside its module can skip with the same notice as tests/ do.
  const toolProbe = stripExt(to) === 'tests/tools' && /\.test\.tsx?$/.test(from);
  if (under(to, 'tests') && !under(from, 'tests') && !toolProbe) return `only tests/ may import tests/ (${to})`;
  if (under(from, 'engine')) {
    for (const dir of ['nas', 'cli', 'renderer', 'electron']) {
      if (under(to, dir)) return `engine/ may not import ${dir}/ (${to}); the composition root is cli/`;
    }
  }
  if (under(from, 'nas')) {
    for (const dir of ['cli', 'renderer', 'electron']) {
      if (under(to, dir)) return `nas/ may not import ${dir}/ (${to})`;
    }
  }
  if (under(from, 'renderer')) {
    if (under(to, 'cli')) return `renderer/ may not import cli/ (${to})`;
    if (under(to, 'electron') && stripExt(to) !== 'electron/host-api') {
      return `renderer/ may import only electron/host-api (types), not ${to}`;
    }
    if (under(to, 'engine') || under(to, 'nas')) {
      const allowed = [...RENDERER_MAY_IMPORT, ...(test ? RENDERER_TESTS_MAY_IMPORT : [])];
      const base = stripExt(to);
      if (!allowed.some((a) => (a.endsWith('/') ? base.startsWith(a) : base === a))) {
        return `renderer/ may import only the pure engine/nas modules (${allowed.join(', ')}), not ${to}`;
      }
    }
  }
  if (under(from, 'tests') && under(to, 'renderer') && stripExt(to) !== RENDERER_PUBLIC_API) {
    return `tests/ may reach the renderer only through ${RENDERER_PUBLIC_API}.ts, not ${to}`;
  }
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Module walls between engine, nas, cli, renderer, electron and tests' },
    schema: [],
  },
  create(context) {
    const from = rel(context.filename);
    if (from === null) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (spec === 'vitest' || spec.startsWith('vitest/')) {
        if (!isTestFile(from) && !from.startsWith('vitest.config')) {
          context.report({ node, message: `production code may not import ${spec} (${from}); name test helpers *.testkit.ts` });
        }
        return;
      }
      if (!spec.startsWith('.')) return;
      const to = rel(path.resolve(path.dirname(context.filename), spec));
      if (to === null) return;
      const why = violation(from, to);
      if (why) context.report({ node, message: `${from}: ${why}` });
    };
    const fromSource = (node) => node.source && check(node, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** The local ESLint plugin: `layerloom/boundaries`. */
export default { rules: { boundaries: rule } };
