/**
 * The file side of the bridge: native Open / Save / Save As / export dialogs, reading and
 * atomically writing project files. The renderer names paths, but main writes only to paths
 * the user picked in a dialog this session (or opened): a compromised page cannot overwrite
 * an arbitrary file by calling saveFile with a path of its own; it gets a Save dialog instead.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { writeTextAtomic } from './atomic-write.js';
import type { OpenedFile } from './host-api.js';

/** Project files: `name.loom.json`. */
export const PROJECT_EXTENSION = '.loom.json';
/** Exported models. */
export const ONNX_EXTENSION = '.onnx';
// Project files are JSON graphs, far smaller; a larger pick is almost surely the wrong file.
const MAX_PROJECT_BYTES = 64 * 1024 * 1024;

/** Electron's dialog functions bound to the window they belong to. */
export interface DialogPort {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

/** File system operations, injectable for tests. */
export interface FileOps {
  readText(file: string): Promise<string>;
  size(file: string): Promise<number>;
  writeTextAtomic(file: string, text: string): Promise<void>;
}

const nodeFileOps: FileOps = {
  readText: (file) => readFile(file, 'utf8'),
  size: async (file) => (await stat(file)).size,
  writeTextAtomic,
};

/**
 * Appends `extension` when the chosen name has none at all (GTK save dialogs do not add the
 * filter's extension); a name the user gave another extension is kept as typed.
 */
export function withExtension(file: string, extension: string): string {
  const base = path.basename(file);
  return base.toLowerCase().endsWith(extension) || base.includes('.') ? file : `${file}${extension}`;
}

/** Opens, saves and picks files for one window. */
export class FileService {
  // Paths the user chose or opened; saving elsewhere goes through a dialog first.
  private readonly granted = new Set<string>();

  private readonly fs: FileOps;
  // Dialog filter extensions of a project file. macOS panels match only the last extension,
  // so "loom.json" there would grey out every project; it gets "json" instead.
  private readonly projectExtensions: string[];

  constructor(
    private readonly dialog: DialogPort,
    options: { platform?: NodeJS.Platform; fs?: FileOps } = {},
  ) {
    this.fs = options.fs ?? nodeFileOps;
    this.projectExtensions = (options.platform ?? process.platform) === 'darwin' ? ['json'] : ['loom.json'];
  }

  /** Asks for a `.loom.json` file and reads it; null when cancelled. */
  async open(): Promise<OpenedFile | null> {
    const result = await this.dialog.showOpenDialog({
      title: 'Open project',
      properties: ['openFile'],
      filters: [
        { name: 'Layerloom project', extensions: this.projectExtensions },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    const file = result.filePaths[0];
    if (result.canceled || file === undefined) return null;
    if ((await this.fs.size(file)) > MAX_PROJECT_BYTES) {
      throw new Error(`${path.basename(file)} is larger than ${MAX_PROJECT_BYTES / 1024 / 1024} MB; not a project file`);
    }
    const text = await this.fs.readText(file);
    this.granted.add(path.resolve(file));
    return { path: file, text };
  }

  /**
   * Writes `text` to `file` (Save), or asks where first (Save As: `file` null, or a path the
   * user has not chosen this session). Returns the path written; null when cancelled.
   */
  async save(file: string | null, text: string, suggestedName?: string): Promise<string | null> {
    let target = file === null ? null : path.resolve(file);
    if (target === null || !this.granted.has(target)) {
      const fallback = suggestedName === undefined ? `untitled${PROJECT_EXTENSION}` : path.basename(suggestedName);
      const result = await this.dialog.showSaveDialog({
        title: 'Save project',
        defaultPath: target ?? withExtension(fallback, PROJECT_EXTENSION),
        filters: [{ name: 'Layerloom project', extensions: this.projectExtensions }],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      });
      if (result.canceled || !result.filePath) return null;
      target = path.resolve(withExtension(result.filePath, PROJECT_EXTENSION));
    }
    await this.fs.writeTextAtomic(target, text);
    this.granted.add(target);
    return target;
  }

  /** Asks where to export an ONNX model; null when cancelled. The engine writes the file. */
  async chooseExportPath(suggestedName: string): Promise<string | null> {
    const result = await this.dialog.showSaveDialog({
      title: 'Export ONNX model',
      defaultPath: withExtension(path.basename(suggestedName), ONNX_EXTENSION),
      filters: [{ name: 'ONNX model', extensions: ['onnx'] }],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    });
    if (result.canceled || !result.filePath) return null;
    return path.resolve(withExtension(result.filePath, ONNX_EXTENSION));
  }
}
