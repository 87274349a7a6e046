/**
 * The quick-add palette (`/`, or a double-click on the canvas): type a kind, move with the
 * arrow keys, Enter inserts it after the selected node and wires it in (shapes update with
 * the document); Escape closes. Each insert is one named command (see app/keyboard-actions.ts).
 */
import { useMemo, useState } from 'react';
import { quickInsert } from '../../app/keyboard-actions.js';
import { useLayoutStore } from '../../app/layout-store.js';
import { useDocumentStore } from '../../store/document-store.js';
import { useSelectionStore } from '../../store/selection-store.js';
import { rankKinds } from './rank.js';
import './quick-add.css';

const SHOWN = 9;

/** The overlay, while open. */
export function QuickAdd() {
  const at = useLayoutStore((s) => s.quickAdd);
  return at ? <QuickAddBox point={at.point} /> : null;
}

function QuickAddBox({ point }: { point?: { x: number; y: number } }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const items = useMemo(() => rankKinds(query).slice(0, SHOWN), [query]);
  const after = useSelectionStore((s) => (s.nodes.size === 1 ? [...s.nodes][0] : null));
  const known = useDocumentStore((s) => (after ? s.doc.nodes.some((n) => n.id === after) : false));
  const close = () => useLayoutStore.getState().closeQuickAdd();
  const choose = (kind: string | undefined) => {
    if (!kind) return;
    close();
    quickInsert(kind, known ? undefined : point);
  };
  const chosen = Math.min(index, Math.max(0, items.length - 1));
  return (
    <div className="modal-backdrop quick-add-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="quick-add" role="dialog" aria-label="Quick add a layer" data-testid="quick-add">
        <input
          autoFocus
          type="text"
          value={query}
          placeholder={known ? `Add after ${after}: type a layer kind` : 'Add a layer: type a kind'}
          aria-label="Layer kind"
          aria-controls="quick-add-list"
          aria-activedescendant={items[chosen] ? `quick-add-${items[chosen].kind}` : undefined}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            else if (e.key === 'Enter') choose(items[chosen]?.kind);
            else if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, items.length - 1));
            else if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
            else return;
            e.preventDefault();
            e.stopPropagation();
          }}
          data-testid="quick-add-input"
        />
        <ul id="quick-add-list" className="quick-add-list" role="listbox">
          {items.map((item, i) => (
            <li
              key={item.kind}
              id={`quick-add-${item.kind}`}
              role="option"
              aria-selected={i === chosen}
              className={`cat-${item.category}${i === chosen ? ' chosen' : ''}`}
              onMouseEnter={() => setIndex(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(item.kind);
              }}
              data-testid={`quick-add-item-${item.kind}`}
            >
              <span className="palette-swatch" />
              <strong>{item.label}</strong>
              <span className="muted">{item.doc}</span>
            </li>
          ))}
          {items.length === 0 ? <li className="muted">No layer kind matches “{query}”.</li> : null}
        </ul>
        <div className="quick-add-hint muted">↑↓ choose · Enter insert{known ? ` after ${after}` : ''} · Esc close</div>
      </div>
    </div>
  );
}
