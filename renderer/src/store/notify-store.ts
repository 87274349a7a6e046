/** Short messages shown in the corner (saved, refused, failed). */
import { create } from 'zustand';

/** One message. */
export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface NotifyState {
  toasts: Toast[];
  dismiss(id: number): void;
}

let nextId = 1;

/** The store of visible messages. */
export const useNotifyStore = create<NotifyState>((set) => ({
  toasts: [],
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a message for a few seconds. */
export function notify(text: string, kind: Toast['kind'] = 'info'): void {
  const id = nextId++;
  useNotifyStore.setState((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text }] }));
  setTimeout(() => useNotifyStore.getState().dismiss(id), kind === 'error' ? 8000 : 3000);
}
