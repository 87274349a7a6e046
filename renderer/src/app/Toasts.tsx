/** The corner messages. */
import { useNotifyStore } from '../store/notify-store.js';

/** Renders the current messages. */
export function Toasts() {
  const toasts = useNotifyStore((s) => s.toasts);
  const dismiss = useNotifyStore((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} onClick={() => dismiss(t.id)} data-testid="toast">
          {t.text}
        </div>
      ))}
    </div>
  );
}
