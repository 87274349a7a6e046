import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from './host-api.js';
import { MENU_COMMANDS } from './ipc.js';
import { buildMenuTemplate } from './menu.js';

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

// Electron's default accelerators of the roles (lib/browser/api/menu-item-roles.ts); they take
// keys too, so the uniqueness check must count them.
function roleAccelerator(role: string, platform: NodeJS.Platform): string | undefined {
  const mac = platform === 'darwin';
  const table: Record<string, string | undefined> = {
    close: 'CmdOrCtrl+W',
    copy: 'CmdOrCtrl+C',
    cut: 'CmdOrCtrl+X',
    paste: 'CmdOrCtrl+V',
    selectAll: 'CmdOrCtrl+A',
    undo: 'CmdOrCtrl+Z',
    redo: platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z',
    quit: platform === 'win32' ? undefined : 'CmdOrCtrl+Q',
    hide: 'Cmd+H',
    hideOthers: 'Cmd+Alt+H',
    minimize: 'CmdOrCtrl+M',
    reload: 'CmdOrCtrl+R',
    forceReload: 'Shift+CmdOrCtrl+R',
    toggleDevTools: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I',
    togglefullscreen: mac ? 'Ctrl+Cmd+F' : 'F11',
  };
  return table[role];
}

/** One spelling per key chord: CmdOrCtrl resolved for the platform, modifiers sorted. */
function normalize(accelerator: string, platform: NodeJS.Platform): string {
  const parts = accelerator.split('+').map((p) => {
    const lower = p.toLowerCase();
    if (lower === 'cmdorctrl' || lower === 'commandorcontrol') return platform === 'darwin' ? 'cmd' : 'ctrl';
    if (lower === 'command') return 'cmd';
    if (lower === 'control') return 'ctrl';
    if (lower === 'option') return 'alt';
    return lower;
  });
  const key = parts.pop() ?? '';
  return [...parts.sort(), key].join('+');
}

/** Clicks an item as Electron would; the template's handlers read none of the click arguments. */
function click(item: MenuItemConstructorOptions): void {
  (item.click as (() => void) | undefined)?.();
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...flatten(Array.isArray(item.submenu) ? item.submenu : [])]);
}

function build(platform: NodeJS.Platform, isDev = false) {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({ platform, isDev, appName: 'Layerloom', send: (c) => sent.push(c) });
  return { template, items: flatten(template), sent };
}

describe.each(PLATFORMS)('the menu on %s', (platform) => {
  it('reaches every MenuCommand, each from a visible item', () => {
    const { items, sent } = build(platform);
    for (const item of items) if (item.visible !== false) click(item);
    expect(new Set(sent)).toEqual(new Set(MENU_COMMANDS));
  });

  it('gives the document commands their usual shortcuts', () => {
    const { items, sent } = build(platform);
    const byCommand = new Map<MenuCommand, string[]>();
    for (const item of items) {
      if (item.click === undefined) continue;
      sent.length = 0;
      click(item);
      const accelerators = byCommand.get(sent[0]) ?? [];
      byCommand.set(sent[0], [...accelerators, normalize(item.accelerator ?? '', platform)]);
    }
    const mod = platform === 'darwin' ? 'cmd' : 'ctrl';
    expect(byCommand.get('new')).toEqual([`${mod}+n`]);
    expect(byCommand.get('open')).toEqual([`${mod}+o`]);
    expect(byCommand.get('save')).toEqual([`${mod}+s`]);
    expect(byCommand.get('saveAs')).toEqual([`${mod}+shift+s`]);
    expect(byCommand.get('exportOnnx')).toEqual([`${mod}+e`]);
    expect(byCommand.get('undo')).toEqual([`${mod}+z`]);
    expect(byCommand.get('redo')).toEqual(platform === 'darwin' ? ['cmd+shift+z'] : ['ctrl+shift+z', 'ctrl+y']);
    expect(byCommand.get('zoomIn')).toEqual([`${mod}+=`]);
    expect(byCommand.get('zoomOut')).toEqual([`${mod}+-`]);
    expect(byCommand.get('zoomFit')).toEqual([`${mod}+0`]);
    expect(byCommand.get('expandDashboard')).toEqual([`${mod}+shift+f`]);
    expect(byCommand.get('shortcuts')).toEqual(['f1']);
  });

  it.each([false, true])('has no accelerator twice (dev build: %s), counting the roles’ own', (isDev) => {
    const { items } = build(platform, isDev);
    const chords = items
      .map((item) => item.accelerator ?? (item.role === undefined ? undefined : roleAccelerator(item.role, platform)))
      .filter((a): a is string => a !== undefined)
      .map((a) => normalize(a, platform));
    expect(chords.length).toBeGreaterThan(10);
    expect(chords.filter((c, i) => chords.indexOf(c) !== i)).toEqual([]);
  });

  it('offers the clipboard roles for text fields and a quit', () => {
    const roles = build(platform).items.map((i) => i.role);
    for (const role of ['cut', 'copy', 'paste', 'selectAll', 'quit']) expect(roles).toContain(role);
    // Undo/redo go to the renderer's history, not to Chromium's text undo.
    expect(roles).not.toContain('undo');
    expect(roles).not.toContain('redo');
  });

  it('shows reload and developer tools in development only', () => {
    const dev = build(platform, true).items.map((i) => i.role);
    const prod = build(platform, false).items.map((i) => i.role);
    expect(dev).toContain('toggleDevTools');
    expect(dev).toContain('reload');
    expect(prod).not.toContain('toggleDevTools');
    expect(prod).not.toContain('reload');
    expect(prod).not.toContain('forceReload');
  });
});

describe('platform conventions', () => {
  it('puts an app menu with about, hide and quit first on macOS only', () => {
    const mac = build('darwin').template;
    expect(mac[0].label).toBe('Layerloom');
    expect(flatten([mac[0]]).map((i) => i.role)).toEqual(expect.arrayContaining(['about', 'hide', 'hideOthers', 'quit']));
    expect(mac.at(-2)?.role).toBe('windowMenu');
    expect(mac.at(-1)?.role).toBe('help');
    const linux = build('linux').template;
    expect(linux.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('drops the Alt mnemonics on macOS', () => {
    const labels = build('darwin').items.map((i) => i.label ?? '');
    expect(labels.filter((l) => l.includes('&'))).toEqual([]);
  });
});
