/**
 * The native menu as a pure template. Document and canvas items send a MenuCommand to the
 * renderer (which owns the document and its undo history); text editing, window and app
 * items use Electron's standard roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './host-api.js';

/** What the template depends on. */
export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development build: adds reload and developer tools. */
  isDev: boolean;
  appName: string;
  /** Delivers a command to the renderer of the focused window. */
  send: (command: MenuCommand) => void;
}

/** The application menu template. */
export function buildMenuTemplate({ platform, isDev, appName, send }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // `&` marks the Alt mnemonic on Windows and Linux; macOS has no mnemonics, so it is dropped.
  const label = (text: string) => (mac ? text.replace(/&(?!&)/g, '') : text);
  const item = (text: string, command: MenuCommand, accelerator: string): MenuItemConstructorOptions => ({
    label: label(text),
    accelerator,
    click: () => send(command),
  });
  const sep: MenuItemConstructorOptions = { type: 'separator' };

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
  };
  const fileMenu: MenuItemConstructorOptions = {
    label: label('&File'),
    submenu: [
      item('&New', 'new', 'CmdOrCtrl+N'),
      item('&Open…', 'open', 'CmdOrCtrl+O'),
      sep,
      item('&Save', 'save', 'CmdOrCtrl+S'),
      item('Save &As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
      sep,
      item('&Export ONNX…', 'exportOnnx', 'CmdOrCtrl+E'),
      sep,
      { role: 'close' },
      ...(mac ? [] : [{ role: 'quit' } as const]),
    ],
  };
  const editMenu: MenuItemConstructorOptions = {
    label: label('&Edit'),
    submenu: [
      item('&Undo', 'undo', 'CmdOrCtrl+Z'),
      item('&Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
      // Ctrl+Y is the usual Redo on Windows and Linux; a hidden item still answers its
      // accelerator there (Electron registers accelerators of invisible items on both).
      ...(mac ? [] : [{ ...item('Redo', 'redo', 'Ctrl+Y'), visible: false }]),
      sep,
      // Text fields (inspector, dialogs) get the standard clipboard roles.
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: label('&View'),
    submenu: [
      item('Zoom &In', 'zoomIn', 'CmdOrCtrl+='),
      item('Zoom &Out', 'zoomOut', 'CmdOrCtrl+-'),
      item('Zoom to &Fit', 'zoomFit', 'CmdOrCtrl+0'),
      sep,
      item('&Dashboard Full Window', 'expandDashboard', 'CmdOrCtrl+Shift+F'),
      sep,
      { role: 'togglefullscreen' },
      ...(isDev ? [sep, { role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { role: 'windowMenu' };
  const helpMenu: MenuItemConstructorOptions = {
    label: label('&Help'),
    role: 'help',
    submenu: [item('Keyboard &Shortcuts', 'shortcuts', 'F1')],
  };

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, ...(mac ? [windowMenu] : []), helpMenu];
}
