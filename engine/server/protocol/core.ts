/** Protocol methods every client needs: handshake, templates, and project files (web mode). */
import { z } from 'zod';
import { method, noParams } from './define.js';

/** A project file in the engine's projects folder. */
export const projectFileSchema = z.object({
  /** Name relative to the projects folder, e.g. `cnn.loom.json`. */
  name: z.string(),
  size: z.number(),
  /** Modification time, ISO 8601. */
  modified: z.string(),
});

/** A relative `.loom.json` file name inside the projects folder (no folders, no `..`). */
export const projectNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\]+\.loom\.json$/, 'a file name ending in .loom.json, without folders');

export const coreMethods = {
  'engine.hello': method({
    doc: 'Handshake: engine version and folders.',
    params: noParams,
    result: z.object({ version: z.string(), dataDir: z.string(), projectsDir: z.string(), pid: z.number() }),
  }),
  'examples.list': method({
    doc: 'The templates shipped in examples/ (the text of each .loom.json), then the search spaces of examples/spaces/ with ids `spaces/<name>`.',
    params: noParams,
    result: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), text: z.string() })),
  }),
  'files.list': method({
    doc: 'The .loom.json files in the projects folder, newest first.',
    params: noParams,
    result: z.object({ dir: z.string(), files: z.array(projectFileSchema) }),
  }),
  'files.read': method({
    doc: 'Reads a project file.',
    params: z.object({ name: projectNameSchema }),
    result: z.object({ name: z.string(), text: z.string() }),
  }),
  'files.write': method({
    doc: 'Writes a project file atomically (temp file + rename).',
    params: z.object({ name: projectNameSchema, text: z.string().max(64 * 1024 * 1024) }),
    result: z.object({ name: z.string(), path: z.string() }),
  }),
};
