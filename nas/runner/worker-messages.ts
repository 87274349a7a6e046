/**
 * The messages between the search runner and its worker processes (worker.ts), kept apart
 * from worker.ts: importing that module registers its IPC handlers, so anything that only needs
 * the message types or the test exit code imports them from here.
 */

/** Messages from the parent. */
export type ToWorker = { type: 'init'; config: unknown } | { type: 'eval'; job: number; key: string; graph?: unknown };

/** Messages to the parent. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  | { type: 'result'; job: number; evaluation: unknown }
  | { type: 'error'; job: number; message: string };

/** Exit code of the crash test hook. */
export const TEST_CRASH_EXIT_CODE = 3;
