/** What every feature's handlers share: folders and a way to notify all clients. */
import type { ClientPaths } from './client-paths.js';
import type { Notice } from './protocol/index.js';

/** Engine-wide state handed to each feature's handler factory. */
export interface EngineContext {
  /** Runs database, checkpoints, exports. */
  dataDir: string;
  /** Where web-mode projects are opened from and saved to. */
  projectsDir: string;
  /** What clients may read and write: every handler taking a path asks it. */
  paths: ClientPaths;
  /** The repository / app root (examples/, renderer/dist). */
  appRoot: string;
  /** Sends a notice to every connected client. */
  broadcast(notice: Notice): void;
  /** Registers clean-up to run when the server closes (stop child jobs, close databases). */
  onClose(fn: () => void | Promise<void>): void;
}

/** Builds a feature's handlers from the engine context. */
export type HandlerFactory = (engine: EngineContext) => import('./dispatcher.js').HandlerTable;
