/** Editing a node: one param, its label, its id. */
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import type { Command } from '../document-store.js';
import { isValidNodeId } from './ids.js';

/** `doc` with node `id` replaced by `fn(node)`; the same document when nothing changes. */
export function updateNode(doc: LoomDocument, id: string, fn: (n: LoomNode) => LoomNode): LoomDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = fn(n);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

/**
 * Sets one param (`undefined` removes it, so the kind's default applies). Invalid values are
 * stored too: the canvas marks the node with the engine's message until they are fixed.
 * Typing in one field coalesces into one undo step.
 */
export function setParam(nodeId: string, name: string, value: unknown): Command {
  return {
    name: 'set-param',
    label: `Set ${nodeId}.${name}`,
    coalesceKey: `param:${nodeId}:${name}`,
    apply: (doc) =>
      updateNode(doc, nodeId, (n) => {
        if (JSON.stringify(n.params[name]) === JSON.stringify(value)) return n;
        const params = { ...n.params };
        if (value === undefined) delete params[name];
        else params[name] = value;
        return { ...n, params };
      }),
  };
}

/** Sets or clears (empty string) a node's display label. */
export function setLabel(nodeId: string, label: string): Command {
  return {
    name: 'set-label',
    label: `Label ${nodeId}`,
    coalesceKey: `label:${nodeId}`,
    apply: (doc) =>
      updateNode(doc, nodeId, (n) => {
        if ((n.label ?? '') === label) return n;
        const { label: _old, ...rest } = n;
        return label ? { ...rest, label } : rest;
      }),
  };
}

/** Why `newId` cannot replace `oldId`, or null when it can. */
export function renameProblem(doc: LoomDocument, oldId: string, newId: string): string | null {
  if (newId === oldId) return null;
  if (!isValidNodeId(newId)) return 'must start with a letter or digit and use only letters, digits, "-", "_" and "."';
  if (doc.nodes.some((n) => n.id === newId)) return `"${newId}" is already used`;
  return null;
}

/** Renames a node (its id becomes the layer and weight name) and the edges that refer to it. */
export function renameNode(oldId: string, newId: string): Command {
  return {
    name: 'rename',
    label: `Rename ${oldId} to ${newId}`,
    apply(doc) {
      if (newId === oldId || renameProblem(doc, oldId, newId) || !doc.nodes.some((n) => n.id === oldId)) return doc;
      const swap = (id: string) => (id === oldId ? newId : id);
      return {
        ...doc,
        // Members of a renamed container follow it.
        nodes: doc.nodes.map((n) => (n.id === oldId ? { ...n, id: newId } : n.group === oldId ? { ...n, group: newId } : n)),
        edges: doc.edges.map((e) => (e.source === oldId || e.target === oldId ? { ...e, source: swap(e.source), target: swap(e.target) } : e)),
      };
    },
  };
}
