import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createHostBridge, type IpcRendererPort } from './bridge.js';
import type { EngineAddress, MenuCommand } from './host-api.js';
import { IpcArgumentError, parseDocumentState, parseInvokeArgs } from './ipc-args.js';
import { registerIpcHandlers, sendEvent, type IpcHandlers, type IpcSenderEvent } from './ipc-main.js';
import { IpcChannel } from './ipc.js';
import { isAppUrl } from './app-protocol.js';

/** An in-memory ipcMain + ipcRenderer pair, as Electron wires them, with a settable sender URL. */
function fakeIpc(senderUrl = 'app://layerloom/index.html') {
  const handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const mainListeners = new EventEmitter();
  const rendererListeners = new EventEmitter();
  const event = () => ({ senderFrame: { url: senderUrl } });
  const ipcMain = {
    handle: (channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown) => void handlers.set(channel, listener),
    on: (channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => void) => mainListeners.on(channel, listener),
  };
  const ipcRenderer: IpcRendererPort = {
    invoke: async (channel, ...args) => {
      const handler = handlers.get(channel);
      if (handler === undefined) throw new Error(`no handler for ${channel}`);
      // Electron passes arguments by structured clone: the handler never sees the caller's objects.
      return handler(event(), ...structuredClone(args));
    },
    send: (channel, ...args) => void mainListeners.emit(channel, event(), ...structuredClone(args)),
    on: (channel, listener) => rendererListeners.on(channel, listener),
    removeListener: (channel, listener) => rendererListeners.removeListener(channel, listener),
  };
  const webContents = {
    send: (channel: string, ...args: unknown[]) => void rendererListeners.emit(channel, { sender: 'secret' }, ...structuredClone(args)),
    isDestroyed: () => false,
  };
  return { ipcMain, ipcRenderer, webContents, handlers, rendererListeners };
}

function handlers(): IpcHandlers {
  return {
    [IpcChannel.getEngine]: async () => ({ port: 4321, token: 't' }),
    [IpcChannel.openFile]: async () => ({ path: '/p/a.loom.json', text: '{}' }),
    [IpcChannel.saveFile]: vi.fn(async (file: string | null) => file ?? '/chosen.loom.json'),
    [IpcChannel.chooseExportPath]: async (name: string) => ({ path: `/out/${name}`, grant: 'g' }),
    [IpcChannel.openDashboardWindow]: vi.fn(async () => undefined),
    [IpcChannel.setDocumentState]: vi.fn(),
  };
}

describe('the bridge over IPC', () => {
  it('carries every call from the renderer to its main-process handler and back', async () => {
    const ipc = fakeIpc();
    const h = handlers();
    registerIpcHandlers(ipc.ipcMain, h, isAppUrl);
    const bridge = createHostBridge(ipc.ipcRenderer);
    expect(await bridge.getEngine()).toEqual({ port: 4321, token: 't' });
    expect(await bridge.openFile()).toEqual({ path: '/p/a.loom.json', text: '{}' });
    expect(await bridge.saveFile(null, 'text', 'net.loom.json')).toBe('/chosen.loom.json');
    expect(h[IpcChannel.saveFile]).toHaveBeenCalledWith(null, 'text', 'net.loom.json');
    expect(await bridge.saveFile('/a.loom.json', 'text')).toBe('/a.loom.json');
    expect(await bridge.chooseExportPath('net.onnx')).toEqual({ path: '/out/net.onnx', grant: 'g' });
    await bridge.openDashboardWindow('training', 'lenet');
    expect(h[IpcChannel.openDashboardWindow]).toHaveBeenCalledWith('training', 'lenet');
    bridge.setDocumentState({ dirty: true, title: 'net' });
    expect(h[IpcChannel.setDocumentState]).toHaveBeenCalledWith({ dirty: true, title: 'net' });
  });

  it('delivers menu commands and engine restarts to subscribers, without the IPC event, until unsubscribed', () => {
    const ipc = fakeIpc();
    const bridge = createHostBridge(ipc.ipcRenderer);
    const commands: MenuCommand[] = [];
    const restarts: unknown[][] = [];
    const offMenu = bridge.onMenuCommand((cmd) => commands.push(cmd));
    const offEngine = bridge.onEngineRestarted((...args) => restarts.push(args));
    const address: EngineAddress = { port: 1, token: 'x' };
    sendEvent(ipc.webContents, IpcChannel.menuCommand, 'save');
    sendEvent(ipc.webContents, IpcChannel.engineRestarted, address, 'engine exited with code 1; restarted');
    expect(commands).toEqual(['save']);
    expect(restarts).toEqual([[address, 'engine exited with code 1; restarted']]);
    offMenu();
    offEngine();
    expect(ipc.rendererListeners.listenerCount(IpcChannel.menuCommand)).toBe(0);
    expect(ipc.rendererListeners.listenerCount(IpcChannel.engineRestarted)).toBe(0);
  });

  it('does not send to a destroyed page', () => {
    const send = vi.fn();
    sendEvent({ send, isDestroyed: () => true }, IpcChannel.menuCommand, 'new');
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses calls from a page outside the app origin, and drops its one-way messages', async () => {
    const ipc = fakeIpc('https://evil.example/');
    const h = handlers();
    registerIpcHandlers(ipc.ipcMain, h, isAppUrl);
    const bridge = createHostBridge(ipc.ipcRenderer);
    await expect(bridge.openFile()).rejects.toThrow(/refused for https:\/\/evil.example\//);
    bridge.setDocumentState({ dirty: false, title: 'x' });
    expect(h[IpcChannel.setDocumentState]).not.toHaveBeenCalled();
  });

  it('refuses calls whose frame is gone', async () => {
    const ipc = fakeIpc();
    registerIpcHandlers(ipc.ipcMain, handlers(), isAppUrl);
    const handler = ipc.handlers.get(IpcChannel.getEngine);
    expect(() => handler?.({ senderFrame: null })).toThrow(/refused for a gone frame/);
  });

  it('checks arguments before a handler sees them', async () => {
    const ipc = fakeIpc();
    const h = handlers();
    registerIpcHandlers(ipc.ipcMain, h, isAppUrl);
    await expect(ipc.ipcRenderer.invoke(IpcChannel.saveFile, 42, 'text')).rejects.toThrow('path must be a string');
    await expect(ipc.ipcRenderer.invoke(IpcChannel.chooseExportPath, { name: 'x' })).rejects.toThrow('suggestedName must be a string');
    expect(h[IpcChannel.saveFile]).not.toHaveBeenCalled();
    ipc.ipcRenderer.send(IpcChannel.setDocumentState, { dirty: 'yes', title: 'x' });
    expect(h[IpcChannel.setDocumentState]).not.toHaveBeenCalled();
  });
});

describe('argument checks', () => {
  it('accept the documented shapes', () => {
    expect(parseInvokeArgs[IpcChannel.saveFile]([null, 'a'])).toEqual([null, 'a', undefined]);
    expect(parseInvokeArgs[IpcChannel.saveFile](['/a', 'b', 'c'])).toEqual(['/a', 'b', 'c']);
    expect(parseInvokeArgs[IpcChannel.getEngine](['ignored'])).toEqual([]);
    expect(parseDocumentState({ dirty: true, title: 'net', extra: 1 })).toEqual({ dirty: true, title: 'net' });
  });

  it('refuse wrong types and oversized values', () => {
    expect(() => parseInvokeArgs[IpcChannel.saveFile](['/a', 5])).toThrow(IpcArgumentError);
    expect(() => parseInvokeArgs[IpcChannel.chooseExportPath](['x'.repeat(5000)])).toThrow('longer than 1024');
    expect(() => parseDocumentState(null)).toThrow('must be an object');
    expect(() => parseInvokeArgs[IpcChannel.openDashboardWindow](['settings', 'p'])).toThrow('dashboard must be one of training, runs, search');
    expect(() => parseInvokeArgs[IpcChannel.openDashboardWindow](['runs', 7])).toThrow('project must be a string');
    expect(parseInvokeArgs[IpcChannel.openDashboardWindow](['search', 'space-digits'])).toEqual(['search', 'space-digits']);
    expect(() => parseDocumentState({ dirty: true })).toThrow('title must be a string');
  });
});
