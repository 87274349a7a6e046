/** The toolbar: file commands, undo/redo, layout and zoom, the file name with its dirty marker, the engine status. */
import { useConnectionStatus } from '../engine/engine-context.js';
import { baseName } from '../features/files/document-io.js';
import { useDocumentStore } from '../store/document-store.js';
import type { Action, ActionName } from './actions.js';

function ActionButton({ action, disabled, run }: { action: Action; disabled?: boolean; run: (name: ActionName) => void }) {
  return (
    <button
      type="button"
      className="btn btn-tool"
      disabled={disabled}
      onClick={() => run(action.name)}
      title={action.shortcut ? `${action.label} (${action.shortcut})` : action.label}
      data-testid={`toolbar-${action.name}`}
    >
      {action.label.replace('…', '')}
    </button>
  );
}

/** The toolbar row. */
export function Toolbar({ actions, run }: { actions: Record<ActionName, Action>; run: (name: ActionName) => void }) {
  const status = useConnectionStatus();
  const fileName = useDocumentStore((s) => s.fileName);
  const docName = useDocumentStore((s) => s.doc.name);
  const dirty = useDocumentStore((s) => s.dirty);
  const canUndo = useDocumentStore((s) => s.past.length > 0);
  const canRedo = useDocumentStore((s) => s.future.length > 0);
  const undoLabel = useDocumentStore((s) => s.past.at(-1)?.label);
  const group = (names: ActionName[], disabled: Partial<Record<ActionName, boolean>> = {}) => (
    <div className="toolbar-group">
      {names.map((n) => (
        <ActionButton key={n} action={actions[n]} disabled={disabled[n]} run={run} />
      ))}
    </div>
  );
  return (
    <header className="toolbar">
      <strong className="brand">Layerloom</strong>
      {group(['new', 'open', 'save', 'saveAs', 'templates'])}
      <div className="toolbar-group">
        <button
          type="button"
          className="btn btn-tool"
          disabled={!canUndo}
          onClick={() => run('undo')}
          title={`Undo ${undoLabel ?? ''} (Ctrl+Z)`}
          data-testid="toolbar-undo"
        >
          Undo
        </button>
        <ActionButton action={actions.redo} disabled={!canRedo} run={run} />
      </div>
      {group(['autoLayout', 'zoomFit'])}
      <div className="toolbar-group">
        <button
          type="button"
          className="btn btn-tool"
          onClick={() => run('expandDashboard')}
          title={`Show the dashboard with the whole window (${actions.expandDashboard.shortcut})`}
          data-testid="toolbar-expandDashboard"
        >
          Full window
        </button>
        <details className="toolbar-menu" data-testid="toolbar-help">
          <summary className="btn btn-tool">Help</summary>
          <div className="toolbar-menu-items">
            <button
              type="button"
              className="btn btn-tool"
              onClick={(e) => {
                (e.currentTarget.closest('details') as HTMLDetailsElement).open = false;
                run('shortcuts');
              }}
              data-testid="toolbar-shortcuts"
            >
              Keyboard shortcuts ({actions.shortcuts.shortcut})
            </button>
          </div>
        </details>
      </div>
      <div className="doc-title" data-testid="doc-title" title={fileName ?? undefined}>
        {fileName ? baseName(fileName) : docName || 'untitled'}
        {dirty ? (
          <span className="dirty-marker" data-testid="dirty-marker" title="Unsaved changes">
            ●
          </span>
        ) : null}
      </div>
      <span className={`status status-${status}`} data-testid="engine-status">
        engine: {status}
      </span>
    </header>
  );
}
