/**
 * A read-only graph (a trial's materialized architecture, a past run's graph) is laid out with
 * elkjs when it is shown, unless its positions are already all distinct and non-overlapping:
 * materialization stacks Repeat copies 30 px apart and puts a Cell's layers on top of each
 * other, which would be unreadable as stored.
 */
import { useEffect } from 'react';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { useViewStore, type ReadOnlyView } from '../../store/view-store.js';
import { autoLayout, type SizeOf } from './auto-layout.js';

/** True when two nodes share a position or their boxes overlap. */
export function overlaps(doc: LoomDocument, sizeOf: SizeOf): boolean {
  const boxes = doc.nodes.map((n) => ({ ...n.position, ...sizeOf(n.id) })).sort((a, b) => a.x - b.x);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].x < a.x + a.width; j++) {
      const b = boxes[j];
      if (b.y < a.y + a.height && a.y < b.y + b.height) return true;
    }
  }
  return false;
}

/** The view with its graph laid out by elkjs. */
export async function laidOut(view: ReadOnlyView, sizeOf: SizeOf): Promise<ReadOnlyView> {
  const positions = await autoLayout(view.doc, sizeOf);
  return { ...view, doc: { ...view.doc, nodes: view.doc.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) } };
}

/** Views already checked (and laid out ones): each graph shown is laid out at most once. */
const seen = new WeakSet<ReadOnlyView>();

/** Lays out each read-only graph shown whose nodes overlap (see the module comment). */
export function useReadOnlyLayout(view: ReadOnlyView | null, sizeOf: SizeOf): void {
  useEffect(() => {
    if (!view || seen.has(view)) return;
    seen.add(view);
    if (!overlaps(view.doc, sizeOf)) return;
    void laidOut(view, sizeOf).then(
      (next) => {
        seen.add(next);
        // Unless another graph is shown by now.
        if (useViewStore.getState().readOnly === view) useViewStore.getState().showReadOnly(next);
      },
      () => undefined, // keep the stored positions
    );
  }, [view, sizeOf]);
}
