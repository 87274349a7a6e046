import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../engine/client.js';
import { actionForKey, createActions } from './actions.js';
import { shortcutRows } from './ShortcutSheet.js';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
  ({ key: k, code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }) as KeyboardEvent;

describe('shortcut sheet', () => {
  const actions = createActions({} as EngineClient);

  it('lists every action a key triggers, with the key shown', () => {
    const rows = shortcutRows(actions);
    const listed = new Set(rows.map((r) => r.name));
    for (const a of Object.values(actions)) if (a.keyTest) expect(listed.has(a.name), a.name).toBe(true);
    expect(rows.find((r) => r.name === 'quickAdd')?.shortcut).toBe('/');
    expect(rows.find((r) => r.name === 'groupRepeat')?.shortcut).toBe('Ctrl+G');
  });

  it('keys trigger the actions the sheet names', () => {
    const fired = (e: KeyboardEvent) =>
      Object.values(actions)
        .filter((a) => a.keyTest?.(e))
        .map((a) => a.name);
    expect(fired(key('/'))).toEqual(['quickAdd']);
    expect(fired(key('g', { ctrlKey: true }))).toEqual(['groupRepeat']);
    expect(fired(key('G', { ctrlKey: true, shiftKey: true }))).toEqual(['groupChoice']);
    expect(fired(key('F', { ctrlKey: true, shiftKey: true }))).toEqual(['expandDashboard']);
    expect(fired(key('ArrowDown'))).toEqual(['selectDown']);
    expect(fired(key('Escape'))).toEqual(['escape']);
    expect(fired(key('?', { shiftKey: true }))).toEqual(['shortcuts']);
    expect(fired(key('d', { ctrlKey: true }))).toEqual(['duplicate']);
  });

  it('leaves Enter to a focused button (it activates it) but takes it on the canvas', () => {
    const on = (closest: string | null) =>
      ({ ...key('Enter'), target: { tagName: 'DIV', isContentEditable: false, closest: () => closest } }) as unknown as KeyboardEvent;
    expect(actionForKey(actions, on('button'))).toBeUndefined();
    expect(actionForKey(actions, on(null))?.name).toBe('editParams');
  });
});
