/**
 * Small form fields of the training settings, in the panels' form layout. Number fields keep
 * what is being typed ("0.00") and commit each valid value at once; while a field has focus,
 * outside changes (undo) do not overwrite it.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

/** A labelled row. */
export function Row({ label, children, hint, error }: { label: string; children: ReactNode; hint?: string; error?: string | null }) {
  return (
    <label className="form-row" title={hint}>
      <span className="form-label">{label}</span>
      <span className="form-input">
        {children}
        {error ? <span className="field-error">{error}</span> : null}
      </span>
    </label>
  );
}

interface NumberProps {
  label: string;
  value: number | undefined;
  /** Receives a number, or undefined when an optional field is emptied. Returns an error to show, if any. */
  onCommit: (v: number | undefined) => string | null;
  optional?: boolean;
  integer?: boolean;
  min?: number;
  step?: number;
  hint?: string;
  testId?: string;
  disabled?: boolean;
}

/** A number (or empty, when optional). */
export function NumberField(p: NumberProps) {
  const [text, setText] = useState(p.value === undefined ? '' : String(p.value));
  const [error, setError] = useState<string | null>(null);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) {
      setText(p.value === undefined ? '' : String(p.value));
      setError(null);
    }
  }, [p.value]);
  const change = (t: string) => {
    setText(t);
    if (t.trim() === '') return setError(p.optional ? p.onCommit(undefined) : 'required');
    const v = Number(t);
    if (!Number.isFinite(v)) return setError('not a number');
    if (p.integer && !Number.isInteger(v)) return setError('a whole number');
    if (p.min !== undefined && v < p.min) return setError(`at least ${p.min}`);
    setError(p.onCommit(v));
  };
  return (
    <Row label={p.label} hint={p.hint} error={error}>
      <input
        type="text"
        inputMode="decimal"
        value={text}
        placeholder={p.optional ? 'off' : undefined}
        disabled={p.disabled}
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          if (!error) setText(p.value === undefined ? '' : String(p.value));
        }}
        onChange={(e) => change(e.target.value)}
        data-testid={p.testId}
      />
    </Row>
  );
}

/** A choice among fixed options. */
export function SelectField<T extends string>(p: {
  label: string;
  value: T;
  options: readonly (T | { value: T; label: string })[];
  onChange: (v: T) => void;
  hint?: string;
  testId?: string;
  disabled?: boolean;
}) {
  return (
    <Row label={p.label} hint={p.hint}>
      <select value={p.value} onChange={(e) => p.onChange(e.target.value as T)} data-testid={p.testId} disabled={p.disabled}>
        {p.options.map((o) => {
          const { value, label } = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    </Row>
  );
}

/** On / off. */
export function CheckField(p: { label: string; value: boolean; onChange: (v: boolean) => void; hint?: string; testId?: string }) {
  return (
    <Row label={p.label} hint={p.hint}>
      <input type="checkbox" checked={p.value} onChange={(e) => p.onChange(e.target.checked)} data-testid={p.testId} />
    </Row>
  );
}
