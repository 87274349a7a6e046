/**
 * Checks of what a renderer sends over IPC, run by the main process before any handler. The
 * renderer is treated as untrusted: a compromised page must not reach the file system with
 * odd values. Kept apart from ipc.ts so the preload bundle carries only names and types.
 */
import { DASHBOARD_KINDS, type DashboardKind } from './host-api.js';
import { IpcChannel, type DocumentState, type InvokeChannels } from './ipc.js';

/** Thrown when a renderer sends arguments that do not fit a channel. */
export class IpcArgumentError extends Error {
  override name = 'IpcArgumentError';
}

// Texts larger than this are refused: a project file is JSON of a graph, far below it, and
// the cap keeps a runaway renderer from making the main process write gigabytes.
const MAX_TEXT_CHARS = 64 * 1024 * 1024;
const MAX_NAME_CHARS = 1024;

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') throw new IpcArgumentError(`${what} must be a string`);
  if (value.length > max) throw new IpcArgumentError(`${what} is longer than ${max} characters`);
  return value;
}

function optionalName(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, what, MAX_NAME_CHARS);
}

/** Checks what a renderer sent on an invoke channel and returns it typed. */
export const parseInvokeArgs: { [C in keyof InvokeChannels]: (args: readonly unknown[]) => InvokeChannels[C]['args'] } = {
  [IpcChannel.getEngine]: () => [],
  [IpcChannel.openFile]: () => [],
  [IpcChannel.saveFile]: ([path, body, suggestedName]) => [
    path === null || path === undefined ? null : text(path, 'path', MAX_NAME_CHARS * 4),
    text(body, 'text', MAX_TEXT_CHARS),
    optionalName(suggestedName, 'suggestedName'),
  ],
  [IpcChannel.chooseExportPath]: ([suggestedName]) => [text(suggestedName, 'suggestedName', MAX_NAME_CHARS)],
  [IpcChannel.openDashboardWindow]: ([dashboard, project]) => {
    if (!(DASHBOARD_KINDS as readonly unknown[]).includes(dashboard)) throw new IpcArgumentError(`dashboard must be one of ${DASHBOARD_KINDS.join(', ')}`);
    return [dashboard as DashboardKind, text(project, 'project', MAX_NAME_CHARS)];
  },
};

/** Checks the document state a renderer sent; see {@link parseInvokeArgs}. */
export function parseDocumentState(value: unknown): DocumentState {
  if (typeof value !== 'object' || value === null) throw new IpcArgumentError('document state must be an object');
  const { dirty, title } = value as Record<string, unknown>;
  if (typeof dirty !== 'boolean') throw new IpcArgumentError('document state dirty must be a boolean');
  return { dirty, title: text(title, 'document state title', MAX_NAME_CHARS) };
}
