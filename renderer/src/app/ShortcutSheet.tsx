/**
 * Help ▸ Keyboard shortcuts: every action app/actions.ts registers that has a shortcut, in
 * registration order, so the sheet cannot drift from what the keys do.
 */
import type { Action, ActionName } from './actions.js';
import { useLayoutStore } from './layout-store.js';

/** The actions the sheet lists: those with a shortcut. */
export function shortcutRows(actions: Record<ActionName, Action>): { name: ActionName; label: string; shortcut: string }[] {
  return Object.values(actions)
    .filter((a): a is Action & { shortcut: string } => !!a.shortcut)
    .map((a) => ({ name: a.name, label: a.label.replace('…', ''), shortcut: a.shortcut }));
}

/** The sheet, while open. */
export function ShortcutSheet({ actions }: { actions: Record<ActionName, Action> }) {
  const open = useLayoutStore((s) => s.shortcutsOpen);
  if (!open) return null;
  const close = () => useLayoutStore.getState().setShortcutsOpen(false);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="modal shortcut-sheet" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcut-sheet">
        <h2>Keyboard shortcuts</h2>
        <div className="modal-body">
          <table className="summary-table">
            <tbody>
              {shortcutRows(actions).map((r) => (
                <tr key={r.name} data-testid={`shortcut-${r.name}`}>
                  <td>{r.label}</td>
                  <td>
                    <kbd>{r.shortcut}</kbd>
                  </td>
                </tr>
              ))}
              <tr>
                <td>Add a layer at the pointer</td>
                <td>
                  <kbd>double-click</kbd> on the canvas
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <div className="modal-actions">
          <button className="btn btn-primary" autoFocus onClick={close} data-testid="shortcut-sheet-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
