/**
 * Preload: exposes `window.layerloomHost` (see host-api.ts) to the renderer. It runs
 * sandboxed, where `require` reaches only a few Electron modules and no local files, so
 * build.mjs bundles it with bridge.ts and ipc.ts into one CommonJS file (preload.cjs).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createHostBridge } from './bridge.js';

contextBridge.exposeInMainWorld('layerloomHost', createHostBridge(ipcRenderer));
