/**
 * Text -> validated Graph. Each stage turns what is wrong into a GraphError that names the
 * line, field, node, port or edge at fault, so the CLI prints one line and the designer can
 * mark the node.
 */
import { GraphError } from './errors.js';
import { CURRENT_VERSION, documentSchema, type LoomDocument } from './schema.js';
import { describeIssue, formatPath } from './issues.js';
import { validateDocument, type Graph } from './validate.js';

/**
 * Parses JSON, reporting syntax errors with a 1-based line and column. A leading UTF-8 byte
 * order mark (what Windows editors write) is skipped, as the CSV loader skips one.
 */
export function parseJson(input: string): unknown {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    if (!m) {
      throw new GraphError('invalid-json', `not valid JSON: ${msg}`);
    }
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    const reason = msg.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected/, 'unexpected');
    throw new GraphError('invalid-json', `not valid JSON at line ${line}, column ${column}: ${reason}`, { line });
  }
}

/** Checks the version field and applies migrations (none yet: version 1 is the first). */
function migrate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new GraphError('schema', 'a Layerloom document must be a JSON object with "version", "nodes" and "edges"');
  }
  const version = (raw as Record<string, unknown>).version;
  if (version === undefined) {
    throw new GraphError('schema', 'version: missing; expected 1', { field: 'version' });
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new GraphError('schema', `version: expected a positive integer, got ${JSON.stringify(version)}`, { field: 'version' });
  }
  if (version > CURRENT_VERSION) {
    throw new GraphError('unsupported-version', `version ${version} was written by a newer Layerloom; this one reads up to version ${CURRENT_VERSION}`, {
      field: 'version',
    });
  }
  return raw;
}

/** Parses a document object (already JSON-decoded) into the stored form with defaults. */
export function parseDocument(raw: unknown): LoomDocument {
  const migrated = migrate(raw);
  const result = documentSchema.safeParse(migrated);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = formatPath(issue.path);
    // Name the node when the bad field sits inside one.
    const nodes = (migrated as { nodes?: unknown }).nodes;
    let node: string | undefined;
    if (issue.path[0] === 'nodes' && typeof issue.path[1] === 'number' && Array.isArray(nodes)) {
      const id = (nodes[issue.path[1]] as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') node = id;
    }
    const prefix = node ? `node "${node}": ` : '';
    throw new GraphError('schema', `${prefix}${describeIssue(issue)}`, { field, node });
  }
  return result.data;
}

/** Text of a `.loom.json` file -> validated graph. Throws GraphError on any problem. */
export function loadGraphFromText(text: string): Graph {
  return validateDocument(parseDocument(parseJson(text)));
}
