/** Adding a layer (or a search-space container) from the palette: by drop (at the pointer) or by double-click / Enter (at the view's centre). */
import { addNode } from '../../store/commands/add-node.js';
import { newNodeId } from '../../store/commands/ids.js';
import type { Placement } from '../../store/commands/space.js';
import { useDocumentStore } from '../../store/document-store.js';
import { perform } from '../../store/edit.js';
import { useSelectionStore } from '../../store/selection-store.js';
import { starterParams } from '../palette/starter-params.js';

type XY = { x: number; y: number };

/** Drag data type of a palette item. */
export const KIND_MIME = 'application/x-layerloom-kind';

let centreOfView: () => XY = () => ({ x: 0, y: 0 });

/** The canvas registers how to find the centre of what it shows (flow coordinates). */
export function setViewCentre(fn: () => XY): void {
  centreOfView = fn;
}

/** Where a node added without a position goes: the view's centre (flow coordinates). */
export function viewCentre(): XY {
  return centreOfView();
}

/**
 * Adds a `kind` node (a layer or a search-space container) with its top-left at `position`
 * (default: the view's centre), inside a container frame when `placement` says so, and selects it.
 */
export function addLayer(kind: string, position?: XY, placement?: Placement): string | null {
  const at = position ?? centreOfView();
  const id = newNodeId(useDocumentStore.getState().doc, kind);
  const ok = perform(addNode({ id, kind, params: starterParams(kind), position: { x: Math.round(at.x), y: Math.round(at.y) }, ...placement }));
  if (!ok) return null;
  useSelectionStore.getState().select([id]);
  return id;
}
