import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { excludedDependencies, packagedFolders } from '../build/package-layout.mjs';

const root = path.resolve(import.meta.dirname, '..');
const configFile = path.join(root, 'build', 'electron-builder.config.mjs');

interface PlatformConfig {
  target: string[];
  files?: string[];
}
interface BuilderConfig {
  appId: string;
  asar: boolean;
  productName: string;
  directories: { output: string };
  extraMetadata: { main: string };
  files: string[];
  asarUnpack: string[];
  linux: PlatformConfig;
  win: PlatformConfig;
  mac: PlatformConfig;
}

// electron-builder's own modules (its validator, its minimatch), reached through electron-builder
// so their versions always match the installed builder.
const requireFromBuilder = createRequire(
  createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json')).resolve('app-builder-lib/package.json'),
);

// A computed specifier: the config is plain JS with no type declarations to resolve.
const load = async (file: string) => ((await import(pathToFileURL(file).href)) as { default: unknown }).default;

// What makes each folder the config packages that is not in the repository.
const producedBy: Record<string, { script: string; check: () => void }> = {
  'dist/**/*': {
    script: 'npm run build (scripts/build.mjs: tsc -p tsconfig.build.json plus the compiled launchers) and node electron/build.mjs',
    check: () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts.build).toBe('node scripts/build.mjs');
      expect(pkg.scripts.dist).toMatch(/^npm run build && .*electron-builder/);
      const build = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
      const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string } };
      // engine-entry.js imports ../cli/main.js: tsc must put cli/main.ts at dist/cli/main.js.
      expect(base.compilerOptions.outDir).toBe('dist');
      expect(build.include).toContain('engine');
      expect(build.include).toContain('cli');
      expect(fs.existsSync(path.join(root, 'cli', 'main.ts'))).toBe(true);
      expect(fs.existsSync(path.join(root, 'electron', 'build.mjs'))).toBe(true);
    },
  },
  'renderer/dist/**/*': {
    script: "the renderer's vite build (renderer/vite.config.ts, outDir dist)",
    check: () => {
      const vite = fs.readFileSync(path.join(root, 'renderer', 'vite.config.ts'), 'utf8');
      expect(vite).toMatch(/outDir:\s*'dist'/);
      // Relative asset URLs are what lets app://layerloom/ serve the same build.
      expect(vite).toMatch(/base:\s*'\.\/'/);
    },
  },
};

describe('build/electron-builder.config.mjs', () => {
  let config: BuilderConfig;

  beforeAll(async () => {
    config = (await load(configFile)) as BuilderConfig;
  });

  it("passes electron-builder's own configuration schema", async () => {
    const { validateConfiguration } = requireFromBuilder('./out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: { isEnabled: boolean }) => Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
  });

  it('names the app and every target: AppImage and deb, NSIS, dmg', () => {
    expect(config.productName).toBe('Layerloom');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('packs exactly the package layout the packaged-engine test runs from', () => {
    const included = config.files.filter((p) => !p.startsWith('!'));
    expect(included).toEqual(packagedFolders.map((f) => `${f}/**/*`));
    for (const name of excludedDependencies) expect(config.files).toContain(`!node_modules/${name}/**`);
    expect(config.asar).toBe(true);
    // The launchers and the CLI are in dist/ (compiled); the checkout's bin/ needs tsx.
    expect(included).not.toContain('bin/**/*');
  });

  it('has what the deb and AppImage targets need in package.json: author with an email, homepage', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      author?: string;
      homepage?: string;
      name: string;
      version: string;
      description?: string;
    };
    expect(pkg.author).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[a-z]+>$/);
    expect(pkg.homepage).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+/);
    expect(pkg.description).toBeTruthy();
  });

  it('packages nothing into the folder it packages from', () => {
    expect(config.directories.output).not.toBe('dist');
    expect(config.files).toContain('dist/**/*');
  });

  it('lists only files that are in the repository or made by a named build step', () => {
    for (const pattern of config.files.filter((p) => !p.startsWith('!'))) {
      const base = pattern.split(/[*{]/)[0].replace(/\/$/, '');
      const producer = producedBy[pattern];
      if (producer !== undefined) {
        expect(producer.script).not.toBe('');
        producer.check();
      } else {
        expect(fs.existsSync(path.join(root, base)), `${pattern}: ${base} is missing and nothing produces it`).toBe(true);
      }
    }
  });

  it('unpacks the native modules and wasm binaries that exist in node_modules', () => {
    for (const pattern of config.asarUnpack) {
      const pkg = pattern.replace(/^node_modules\//, '').split('/**')[0];
      expect(fs.existsSync(path.join(root, 'node_modules', pkg, 'package.json')), pkg).toBe(true);
    }
    expect(config.asarUnpack).toEqual(expect.arrayContaining([expect.stringContaining('better-sqlite3'), expect.stringContaining('onnxruntime-node')]));
    const wasm = fs.readdirSync(path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')).filter((f) => f.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
  });

  it("keeps only the target platform's onnxruntime binaries", () => {
    const { Minimatch } = requireFromBuilder('minimatch') as { Minimatch: new (p: string, o: object) => { match(f: string): boolean } };
    const pattern = config.files.find((f) => f.includes('onnxruntime-node'));
    expect(pattern).toBeDefined();
    const bin = (os: string) => `node_modules/onnxruntime-node/bin/napi-v6/${os}/x64/onnxruntime_binding.node`;
    for (const os of ['darwin', 'linux', 'win32']) {
      expect(fs.existsSync(path.join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', os))).toBe(true);
      // electron-builder expands ${platform} to process.platform and matches with minimatch({dot: true}).
      const matcher = new Minimatch((pattern ?? '').replace('${platform}', os), { dot: true });
      for (const other of ['darwin', 'linux', 'win32']) expect(matcher.match(bin(other)), `${os} packaging ${other}`).toBe(other === os);
    }
  });

  it("keeps only the target architecture's onnxruntime binaries (${arch} as electron-builder expands it)", () => {
    const { Minimatch } = requireFromBuilder('minimatch') as { Minimatch: new (p: string, o: object) => { match(f: string): boolean } };
    const { expandMacro } = requireFromBuilder('./out/util/macroExpander.js') as {
      expandMacro: (pattern: string, arch: string | null, appInfo: object) => string;
    };
    const pattern = config.files.find((f) => f.includes('onnxruntime-node') && f.includes('${arch}'));
    expect(pattern).toBeDefined();
    const bin = (arch: string) => `node_modules/onnxruntime-node/bin/napi-v6/linux/${arch}/onnxruntime_binding.node`;
    for (const arch of ['x64', 'arm64']) {
      expect(fs.existsSync(path.join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', arch))).toBe(true);
      // The pattern is an exclusion: it matches (drops) the other arch's binaries only.
      const matcher = new Minimatch(expandMacro((pattern ?? '').slice(1), arch, {}), { dot: true });
      for (const other of ['x64', 'arm64']) expect(matcher.match(bin(other)), `${arch} packaging ${other}`).toBe(other !== arch);
    }
  });

  it('has no platform-level file lists (exclusions alone there make electron-builder package everything)', () => {
    expect([config.linux.files, config.win.files, config.mac.files]).toEqual([undefined, undefined, undefined]);
  });

  it("points the app's main at what electron/build.mjs writes", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-electron-build-'));
    execFileSync(process.execPath, [path.join(root, 'electron', 'build.mjs'), '--outdir', out], { cwd: root });
    expect(config.extraMetadata.main).toBe('dist/electron/main.js');
    for (const file of ['main.js', 'preload.cjs', 'engine-entry.js']) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    // The sandboxed preload can require nothing but electron.
    const preload = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("layerloomHost"');
  }, 60_000);
});

describe('build/icon.png', () => {
  it('is a 512×512 PNG, exactly what build/make-icon.mjs draws', async () => {
    const committed = PNG.sync.read(fs.readFileSync(path.join(root, 'build', 'icon.png')));
    expect([committed.width, committed.height]).toEqual([512, 512]);
    const { drawIcon } = (await import(pathToFileURL(path.join(root, 'build', 'make-icon.mjs')).href)) as { drawIcon: () => Buffer };
    const drawn = PNG.sync.read(drawIcon());
    expect(Buffer.compare(drawn.data, committed.data)).toBe(0);
  });
});
