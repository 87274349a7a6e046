/**
 * The on-disk `.loom.json` format, typed separately from runtime objects (as tfjs-layers
 * keeps its keras_format apart). Version 1. Params stay untyped here; each layer kind's
 * own schema checks them in validate.ts, so the error can name the node.
 */
import { z } from 'zod';
import { trainingConfigSchema } from '../train/config.js';

/** The document version this engine writes. */
export const CURRENT_VERSION = 1;

/**
 * Node ids become tf.js layer and weight names, which must start with a letter or digit and
 * use only letters, digits, `-`, `_`, `.` and `/` (tf.js weight-name rule).
 */
export const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, 'must start with a letter or digit and use only letters, digits, "-", "_" and "."');

/** One node on the canvas. */
export const nodeSchema = z.object({
  id: nodeIdSchema,
  kind: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  /** Optional display name; the id stays the stable key. */
  label: z.string().optional(),
  /**
   * Search spaces: the id of the container node (Choice, Repeat) this node belongs to, and
   * for a Choice, which alternative (0-based). Concrete graphs leave both unset.
   */
  group: z.string().optional(),
  alternative: z.number().int().nonnegative().optional(),
});

/** One edge: an output port of one node to an input port of another. */
export const edgeSchema = z.object({
  id: z.string().optional(),
  source: z.string(),
  sourcePort: z.string().default('out'),
  target: z.string(),
  targetPort: z.string().default('in'),
  /** Search spaces: an edge the search may switch off (a skip connection). */
  optional: z.boolean().optional(),
});

/** A whole project document. */
export const documentSchema = z.object({
  version: z.literal(CURRENT_VERSION),
  name: z.string().optional(),
  description: z.string().optional(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
  training: trainingConfigSchema.optional(),
});

/** A parsed document (defaults applied, params not yet checked per kind). */
export type LoomDocument = z.output<typeof documentSchema>;
/** A node as stored. */
export type LoomNode = z.output<typeof nodeSchema>;
/** An edge as stored. */
export type LoomEdge = z.output<typeof edgeSchema>;
/** A document as written by a user, before defaults. */
export type LoomDocumentInput = z.input<typeof documentSchema>;
