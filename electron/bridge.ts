/**
 * The `window.layerloomHost` object, built over an ipcRenderer-like port. The preload passes
 * Electron's ipcRenderer; tests pass a fake. Kept out of preload.ts so it runs without Electron.
 */
import type { HostBridge } from './host-api.js';
import { IpcChannel, type EventChannels, type InvokeChannels, type SendChannels } from './ipc.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Builds the bridge the preload exposes to the renderer. */
export function createHostBridge(ipc: IpcRendererPort): HostBridge {
  const invoke = <C extends keyof InvokeChannels>(channel: C, ...args: InvokeChannels[C]['args']) =>
    ipc.invoke(channel, ...args) as Promise<InvokeChannels[C]['result']>;
  const send = <C extends keyof SendChannels>(channel: C, ...args: SendChannels[C]) => ipc.send(channel, ...args);
  const subscribe = <C extends keyof EventChannels>(channel: C, cb: (...args: EventChannels[C]) => void) => {
    // The IPC event object is dropped here: handing it to the page would leak `sender`
    // (a path back to ipcRenderer) across the context-isolation boundary.
    const listener = (_event: unknown, ...args: unknown[]) => cb(...(args as EventChannels[C]));
    ipc.on(channel, listener);
    return () => {
      ipc.removeListener(channel, listener);
    };
  };

  return {
    getEngine: () => invoke(IpcChannel.getEngine),
    onEngineRestarted: (cb) => subscribe(IpcChannel.engineRestarted, cb),
    onMenuCommand: (cb) => subscribe(IpcChannel.menuCommand, cb),
    openFile: () => invoke(IpcChannel.openFile),
    saveFile: (path, text, suggestedName) => invoke(IpcChannel.saveFile, path, text, suggestedName),
    chooseExportPath: (suggestedName) => invoke(IpcChannel.chooseExportPath, suggestedName),
    openDashboardWindow: (dashboard, project) => invoke(IpcChannel.openDashboardWindow, dashboard, project),
    setDocumentState: (state) => send(IpcChannel.setDocumentState, { dirty: state.dirty, title: state.title }),
  };
}
