/** Wires actions to the keyboard and to Electron's menus, with one runner for all sources. */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { hostBridge } from '../engine/address.js';
import { useEngine } from '../engine/engine-context.js';
import { useDialogStore } from '../features/files/dialog-store.js';
import type { MenuCommand } from '../../../electron/host-api.js';
import { fragmentFromText, fragmentText } from '../store/clipboard.js';
import { actionForKey, createActions, inTextField, menuActions, type ActionName } from './actions.js';
import { copySelection, cutSelection, pasteClipboard } from './edit-actions.js';

/**
 * The window's actions and a runner. A menu accelerator and the same key reaching the page
 * would run an action twice; the runner drops a repeat from the other source within 150 ms.
 */
export function useActions() {
  const engine = useEngine();
  const actions = useMemo(() => createActions(engine), [engine]);
  const last = useRef<{ name: ActionName; source: string; at: number } | null>(null);
  const run = useCallback(
    (name: ActionName, source = 'ui') => {
      const now = performance.now();
      const prev = last.current;
      if (prev && prev.name === name && prev.source !== source && now - prev.at < 150) return;
      last.current = { name, source, at: now };
      actions[name].perform();
    },
    [actions],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || useDialogStore.getState().current) return;
      const action = actionForKey(actions, e);
      if (!action) return;
      e.preventDefault();
      run(action.name, 'key');
    };
    // Clipboard events come from the Edit menu's roles and the browser's own shortcuts; the
    // graph fragment also goes to the system clipboard as text.
    const onCopy = (e: ClipboardEvent) => {
      if (inTextField(e)) return;
      const fragment = e.type === 'cut' ? cutSelection() : copySelection();
      if (!fragment) return;
      e.clipboardData?.setData('text/plain', fragmentText(fragment));
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (inTextField(e)) return;
      e.preventDefault();
      pasteClipboard(fragmentFromText(e.clipboardData?.getData('text/plain') ?? ''));
    };
    const onMenu = (cmd: MenuCommand) => {
      // In a text field the menu's Undo / Redo belong to the field.
      if ((cmd === 'undo' || cmd === 'redo') && inTextField()) return void document.execCommand(cmd);
      run(menuActions[cmd], 'menu');
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    const offMenu = hostBridge()?.onMenuCommand(onMenu);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
      offMenu?.();
    };
  }, [actions, run]);

  return { actions, run };
}
