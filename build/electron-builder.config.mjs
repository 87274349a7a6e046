// electron-builder configuration: `electron-builder --config build/electron-builder.config.mjs`
// (add --linux, --win or --mac). Before packaging, build what `files` takes from dist/:
// `npm run build` (scripts/build.mjs: cli, engine, nas, bin and the process launchers as plain
// JavaScript -> dist/), `node electron/build.mjs` (-> dist/electron) and the renderer's vite
// build (-> renderer/dist). `npm run dist` runs all three.
// What the app holds is build/package-layout.mjs, the same list tests/package/packaged.test.ts
// runs the engine from, so the layout the test proves is the one packed here.
// A JS module rather than YAML so every choice can carry its reason; the test in
// electron/builder-config.test.ts checks it against electron-builder's own schema.
import { excludedDependencies, packagedFolders } from './package-layout.mjs';

export default {
  appId: 'org.layerloom.app',
  productName: 'Layerloom',
  copyright: 'Copyright © Layerloom contributors',
  directories: {
    // Not the default `dist`: that folder is our build output and is packaged itself.
    output: 'release',
    buildResources: 'build',
  },
  // The root package.json has no `main` (it is a CLI package); the app's entry is the
  // bundled Electron main process.
  extraMetadata: { main: 'dist/electron/main.js' },
  files: [
    ...packagedFolders.map((folder) => `${folder}/**/*`),
    '!**/*.map',
    // Renderer-only libraries (vite has bundled them into renderer/dist) and `electron`, an
    // optionalDependency electron-builder would otherwise copy in as a production module.
    ...excludedDependencies.map((name) => `!node_modules/${name}/**`),
    // onnxruntime-node bundles every OS's binaries (288 MB); keep the target's. electron-builder
    // expands ${platform} to the build host's OS, which is the target: native modules are
    // rebuilt on the OS they are packaged for, so each OS packages on its own machine.
    // (A platform-level `files` list of exclusions only would make electron-builder add
    // `**/*` and package the whole repository, so this stays in the global list.)
    '!node_modules/onnxruntime-node/bin/napi-v*/!(${platform})/**',
    // ...and the target's CPU architecture: electron-builder packs each arch on its own and
    // expands ${arch} to it (x64, arm64); linux/arm64 beside linux/x64 would be 25 MB more.
    '!node_modules/onnxruntime-node/bin/napi-v*/*/!(${arch})/**',
  ],
  // The app's files go into one app.asar archive (electron-builder's default, stated here).
  asar: true,
  // Native code cannot be loaded from inside app.asar; the tf.js wasm binaries are read from
  // disk by their Emscripten loader.
  asarUnpack: ['node_modules/better-sqlite3/**', 'node_modules/onnxruntime-node/**', 'node_modules/@tensorflow/tfjs-backend-wasm/**/*.wasm'],
  // better-sqlite3 is rebuilt against Electron's ABI (the checkout's build is for system
  // Node); onnxruntime-node ships N-API binaries that load as they are.
  npmRebuild: true,
  // The deb target also needs `homepage` and `author` (with an email: the package maintainer)
  // in package.json; electron-builder stops with a message naming them when they are missing.
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Science',
    icon: 'build/icon.png',
  },
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.png',
  },
};
