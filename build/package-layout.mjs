// What a runnable Layerloom package holds, in one place: the electron-builder config packs
// exactly this, and tests/package/packaged.test.ts runs the engine from a folder laid out the
// same way (so what the test proves is what the app ships).

/** Folders copied as they are (relative to the repository root). */
export const packagedFolders = [
  // `npm run build` (scripts/build.mjs): compiled cli/, engine/, nas/, bin/ and the launchers;
  // `node electron/build.mjs` adds dist/electron/.
  'dist',
  // The renderer's vite build.
  'renderer/dist',
  // Example graphs and search spaces (the designer's template list, the README's commands).
  'examples',
];

/** Single files at the package root: package.json says "type": "module" and the version. */
export const packagedFiles = ['package.json'];

/**
 * Production dependencies left out of the package: vite has bundled the renderer-only
 * libraries into renderer/dist, and `electron` (an optionalDependency) would be a second
 * Electron inside the app.
 */
export const excludedDependencies = ['electron', 'react', 'react-dom', '@xyflow/react', '@xyflow/system', 'zustand', 'uplot'];
