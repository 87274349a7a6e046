/**
 * Typed errors for everything that can be wrong with a graph document.
 *
 * Every error carries a machine-readable `code` and a `where` that names the node, port,
 * edge or field at fault, so the CLI can print one line and the designer can mark the node.
 */

/** Where in a document an error is located. All fields optional; set what is known. */
export interface ErrorLocation {
  /** Node id, e.g. `"conv1"`. */
  node?: string;
  /** Port name on that node, e.g. `"in"`. */
  port?: string;
  /** Edge index in `edges[]` or edge id. */
  edge?: string;
  /** Dotted path of the offending field, e.g. `"nodes[2].params.units"`. */
  field?: string;
  /** 1-based line in the source text (JSON syntax errors). */
  line?: number;
}

/** Machine-readable categories of graph errors. */
export type GraphErrorCode =
  | 'invalid-json'
  | 'schema'
  | 'unsupported-version'
  | 'duplicate-node'
  | 'unknown-kind'
  | 'invalid-param'
  | 'dangling-edge'
  | 'unknown-port'
  | 'port-occupied'
  | 'missing-input'
  | 'cycle'
  | 'no-input-node'
  | 'no-output-node'
  | 'shape'
  | 'memory'
  | 'too-deep';

/** Base class of every error the graph layer throws on bad user input. */
export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    readonly where: ErrorLocation = {},
  ) {
    super(message);
  }
}

/**
 * A layer could not accept its input shapes. Thrown by `inferShape`; the shape-inference
 * driver fills in the node id and prefixes the message with it.
 */
export class ShapeError extends GraphError {
  override name = 'ShapeError';
  constructor(message: string, where: ErrorLocation = {}) {
    super('shape', message, where);
  }
}
