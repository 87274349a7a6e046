import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeTextAtomic } from './atomic-write.js';
import { FileService, withExtension, type DialogPort } from './file-service.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-files-'));
});

/** A dialog that answers from a queue and records what it was asked. */
function fakeDialog(answers: { open?: string[]; save?: (string | null)[] }) {
  const asked: { open: OpenDialogOptions[]; save: SaveDialogOptions[] } = { open: [], save: [] };
  const port: DialogPort = {
    showOpenDialog: async (options) => {
      asked.open.push(options);
      const file = answers.open?.shift();
      return file === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [file] };
    },
    showSaveDialog: async (options) => {
      asked.save.push(options);
      const file = answers.save?.shift() ?? null;
      // Electron answers a cancelled save with an empty path.
      return file === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: file };
    },
  };
  return { port, asked };
}

const tmpLeftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('FileService', () => {
  it('opens a project file filtered to .loom.json and returns its path and text', async () => {
    const file = path.join(dir, 'net.loom.json');
    fs.writeFileSync(file, '{"version":1}');
    const { port, asked } = fakeDialog({ open: [file] });
    const files = new FileService(port, { platform: 'linux' });
    expect(await files.open()).toEqual({ path: file, text: '{"version":1}' });
    expect(asked.open[0].filters?.[0]).toEqual({ name: 'Layerloom project', extensions: ['loom.json'] });
    expect(asked.open[0].properties).toEqual(['openFile']);
  });

  it('filters on json on macOS, whose panels match only the last extension', async () => {
    const { port, asked } = fakeDialog({});
    await new FileService(port, { platform: 'darwin' }).open();
    expect(asked.open[0].filters?.[0].extensions).toEqual(['json']);
  });

  it('answers null when Open is cancelled', async () => {
    expect(await new FileService(fakeDialog({}).port).open()).toBeNull();
  });

  it('saves to an opened file without asking, atomically', async () => {
    const file = path.join(dir, 'net.loom.json');
    fs.writeFileSync(file, 'old');
    const { port, asked } = fakeDialog({ open: [file] });
    const files = new FileService(port);
    await files.open();
    expect(await files.save(file, 'new')).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(asked.save).toEqual([]);
    expect(tmpLeftovers()).toEqual([]);
  });

  it('asks where to save (Save As) when the path is null, and then saves there without asking', async () => {
    const chosen = path.join(dir, 'mine');
    const { port, asked } = fakeDialog({ save: [chosen] });
    const files = new FileService(port, { platform: 'linux' });
    const saved = await files.save(null, 'text', 'my net');
    expect(saved).toBe(`${chosen}.loom.json`);
    expect(asked.save[0]).toMatchObject({ defaultPath: 'my net.loom.json', properties: ['showOverwriteConfirmation', 'createDirectory'] });
    expect(await files.save(saved, 'text 2')).toBe(saved);
    expect(asked.save.length).toBe(1);
    expect(fs.readFileSync(`${chosen}.loom.json`, 'utf8')).toBe('text 2');
  });

  it('never writes to a path the user did not choose: it asks first', async () => {
    const foreign = path.join(dir, 'victim.txt');
    fs.writeFileSync(foreign, 'precious');
    const { port, asked } = fakeDialog({ save: [null] });
    expect(await new FileService(port).save(foreign, 'overwritten')).toBeNull();
    expect(asked.save[0].defaultPath).toBe(foreign);
    expect(fs.readFileSync(foreign, 'utf8')).toBe('precious');
  });

  it('takes only the base name of a suggested name', async () => {
    const { port, asked } = fakeDialog({});
    await new FileService(port).save(null, 'x', '../../etc/net.loom.json');
    expect(asked.save[0].defaultPath).toBe('net.loom.json');
  });

  it('chooses an .onnx export path', async () => {
    const { port, asked } = fakeDialog({ save: [path.join(dir, 'model')] });
    const files = new FileService(port);
    expect(await files.chooseExportPath('net')).toBe(path.join(dir, 'model.onnx'));
    expect(asked.save[0]).toMatchObject({ defaultPath: 'net.onnx', filters: [{ name: 'ONNX model', extensions: ['onnx'] }] });
    expect(await files.chooseExportPath('net.onnx')).toBeNull();
  });
});

describe('withExtension', () => {
  it('adds the extension only to names that have none', () => {
    expect(withExtension('/a/net', '.loom.json')).toBe('/a/net.loom.json');
    expect(withExtension('/a/net.loom.json', '.loom.json')).toBe('/a/net.loom.json');
    expect(withExtension('/a/NET.LOOM.JSON', '.loom.json')).toBe('/a/NET.LOOM.JSON');
    expect(withExtension('/a/net.json', '.loom.json')).toBe('/a/net.json');
    expect(withExtension('/a.b/net', '.onnx')).toBe('/a.b/net.onnx');
  });
});

describe('writeTextAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const file = path.join(dir, 'a.loom.json');
    fs.writeFileSync(file, 'old contents that are longer');
    await writeTextAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(tmpLeftovers()).toEqual([]);
  });

  it('leaves the old file and no temporary file when the rename fails', async () => {
    const target = path.join(dir, 'is-a-folder');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x');
    await expect(writeTextAtomic(target, 'new')).rejects.toThrow();
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('x');
    expect(tmpLeftovers()).toEqual([]);
  });
});
