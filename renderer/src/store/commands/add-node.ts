/** Adding a layer node. */
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import type { Command } from '../document-store.js';

/** Adds one node, optionally inside a container. The caller picks the id (see `newNodeId`) so it can select the node after. */
export function addNode(node: {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  position: { x: number; y: number };
  group?: string;
  alternative?: number;
}): Command {
  return {
    name: 'add-node',
    label: `Add ${node.kind}`,
    apply(doc: LoomDocument) {
      if (doc.nodes.some((n) => n.id === node.id)) return doc;
      const added: LoomNode = { id: node.id, kind: node.kind, params: node.params, position: node.position };
      // Dropped into a container frame (a Choice lane when `alternative` is set).
      if (node.group !== undefined) {
        added.group = node.group;
        if (node.alternative !== undefined) added.alternative = node.alternative;
      }
      return { ...doc, nodes: [...doc.nodes, added] };
    },
  };
}
