/** Every document command: pure functions over LoomDocument, run through the document store. */
export { addNode } from './add-node.js';
export { canConnect, connect, reaches, type ConnectionCheck, type ConnectionRequest } from './connect.js';
export { deleteElements } from './delete.js';
export { edgeIds, idBase, isValidNodeId, newEdgeId, newNodeId, withEdgeIds } from './ids.js';
export { moveNodes, type Positions } from './move.js';
export { copyFragment, pasteFragment, withMembers, type Fragment } from './paste.js';
export { renameNode, renameProblem, setLabel, setParam } from './set-param.js';
export { composite, makeConcrete, makeSearchable, setEdgeOptional, setGroup, type Placement } from './space.js';
