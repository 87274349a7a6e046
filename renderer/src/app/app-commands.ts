/**
 * A tiny command bus between parts of the window that must not import each other: the
 * toolbar and menus emit, the canvas (zoom, layout) and other features (export) listen.
 * Commands travel as DOM CustomEvents named `layerloom:<command>`, e.g.
 * `layerloom:export-onnx`, so any module can subscribe with addEventListener.
 */

/** Commands on the bus. */
export type AppCommand = 'zoom-in' | 'zoom-out' | 'zoom-fit' | 'auto-layout' | 'export-onnx' | 'reveal-selection';

/** The DOM event name of a command. */
export function eventName(cmd: AppCommand): string {
  return `layerloom:${cmd}`;
}

/** Emits a command. */
export function emitAppCommand(cmd: AppCommand): void {
  window.dispatchEvent(new CustomEvent(eventName(cmd)));
}

/** Subscribes to a command; returns an unsubscribe. */
export function onAppCommand(cmd: AppCommand, cb: () => void): () => void {
  const listener = () => cb();
  window.addEventListener(eventName(cmd), listener);
  return () => window.removeEventListener(eventName(cmd), listener);
}
