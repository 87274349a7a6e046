/** Errors of engine jobs and data loaders as protocol errors: data errors keep their file and position. */
import { DataError } from '../../data/types.js';
import { printable } from '../../util/printable.js';
import { CallError, toErrorInfo } from '../dispatcher.js';
import type { ErrorInfo } from '../protocol/index.js';

/** The protocol error for anything a job or a data loader threw; `field` names the dataset spec's param. */
export function engineErrorInfo(e: unknown, field = 'training.dataset'): ErrorInfo {
  if (e instanceof DataError) {
    const where: Record<string, string> = { field };
    if (e.file) where.file = e.file;
    if (e.position) where.position = e.position;
    return { code: 'bad-params', message: printable(e.message), where };
  }
  return toErrorInfo(e);
}

/** `engineErrorInfo` as something a handler can throw. */
export function asCallError(e: unknown, field?: string): CallError {
  const info = engineErrorInfo(e, field);
  return new CallError(info.code, info.message, info.where);
}
