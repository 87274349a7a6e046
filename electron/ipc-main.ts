/**
 * Main-process side of the IPC contract: registers one handler per channel, refuses senders
 * that are not the app's own page, and checks every argument before a handler sees it.
 */
import { parseDocumentState, parseInvokeArgs } from './ipc-args.js';
import { IpcChannel, type DocumentState, type EventChannels, type InvokeChannels } from './ipc.js';

/** The part of an IPC event the checks read: the frame that sent it (null once it is gone). */
export interface IpcSenderEvent {
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => void): unknown;
}

/** What the main process does for each channel, with arguments already checked. */
export type IpcHandlers = {
  [C in keyof InvokeChannels]: (...args: InvokeChannels[C]['args']) => Promise<InvokeChannels[C]['result']>;
} & {
  [IpcChannel.setDocumentState]: (state: DocumentState) => void;
};

/**
 * Registers `handlers` on `ipc`. `isTrustedUrl` decides whether the sending frame may use the
 * bridge (the app's own origin only), so a page that somehow navigated elsewhere, or a
 * subframe, cannot open dialogs or write files.
 */
export function registerIpcHandlers(ipc: IpcMainPort, handlers: IpcHandlers, isTrustedUrl: (url: string) => boolean): void {
  const trusted = (event: IpcSenderEvent) => event.senderFrame !== null && isTrustedUrl(event.senderFrame.url);
  const handle = <C extends keyof InvokeChannels>(channel: C) => {
    const run = handlers[channel] as (...args: InvokeChannels[C]['args']) => Promise<InvokeChannels[C]['result']>;
    ipc.handle(channel, (event, ...raw) => {
      if (!trusted(event)) throw new Error(`${channel}: refused for ${event.senderFrame?.url ?? 'a gone frame'}`);
      return run(...parseInvokeArgs[channel](raw));
    });
  };
  handle(IpcChannel.getEngine);
  handle(IpcChannel.openFile);
  handle(IpcChannel.saveFile);
  handle(IpcChannel.chooseExportPath);
  handle(IpcChannel.openDashboardWindow);
  ipc.on(IpcChannel.setDocumentState, (event, raw) => {
    // A one-way message has no caller to report to: a bad or untrusted one is dropped.
    if (!trusted(event)) return;
    let state: DocumentState;
    try {
      state = parseDocumentState(raw);
    } catch {
      return;
    }
    handlers[IpcChannel.setDocumentState](state);
  });
}

/** The part of a webContents used to send events to the renderer. */
export interface RendererTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Sends a typed event to the renderer; a destroyed page (window closing) is skipped. */
export function sendEvent<C extends keyof EventChannels>(target: RendererTarget, channel: C, ...args: EventChannels[C]): void {
  if (!target.isDestroyed()) target.send(channel, ...args);
}
