/** The layer palette: every registered kind by category, with search. Drag an item onto the canvas, or double-click it. */
import { useMemo, useState, type DragEvent, type KeyboardEvent } from 'react';
import { addLayer, KIND_MIME } from '../canvas/add-layer.js';
import { paletteGroups } from './palette-groups.js';

function onDragStart(e: DragEvent, kind: string) {
  e.dataTransfer.setData(KIND_MIME, kind);
  e.dataTransfer.setData('text/plain', kind);
  e.dataTransfer.effectAllowed = 'copy';
}

function onItemKey(e: KeyboardEvent, kind: string) {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    addLayer(kind);
  }
}

/** The palette column. */
export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(query), [query]);
  return (
    <aside className="palette" aria-label="Layers">
      <div className="palette-search">
        <input
          type="search"
          placeholder="Search layers"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="palette-search"
          aria-label="Search layers"
        />
      </div>
      <div className="palette-groups">
        {groups.map((g) => (
          <section key={g.id} className="palette-group">
            <h3>{g.title}</h3>
            {g.items.map((def) => (
              <div
                key={def.kind}
                className={`palette-item cat-${def.category}`}
                draggable
                tabIndex={0}
                role="button"
                title={`${def.doc}\nDrag onto the canvas, or double-click to add.`}
                onDragStart={(e) => onDragStart(e, def.kind)}
                onDoubleClick={() => addLayer(def.kind)}
                onKeyDown={(e) => onItemKey(e, def.kind)}
                data-testid={`palette-item-${def.kind}`}
              >
                <span className="palette-swatch" />
                {def.label}
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 ? <p className="muted palette-empty">No layer matches “{query}”.</p> : null}
      </div>
    </aside>
  );
}
