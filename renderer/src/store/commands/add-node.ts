/** Adding a layer node. */
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import type { Command } from '../document-store.js';

/** Adds one node. The caller picks the id (see `newNodeId`) so it can select the node after. */
export function addNode(node: { id: string; kind: string; params: Record<string, unknown>; position: { x: number; y: number } }): Command {
  return {
    name: 'add-node',
    label: `Add ${node.kind}`,
    apply(doc: LoomDocument) {
      if (doc.nodes.some((n) => n.id === node.id)) return doc;
      const added: LoomNode = { id: node.id, kind: node.kind, params: node.params, position: node.position };
      return { ...doc, nodes: [...doc.nodes, added] };
    },
  };
}
