/** One field of the generated params form, with its own validation message. */
import { useState } from 'react';
import { checkParam, formatFieldValue, parseFieldText, type ParamField } from '../../../../engine/graph/param-form.js';
import type { z } from 'zod';

interface Props {
  /** The params schema of the node's kind (a layer's, or a container's). */
  schema: z.ZodType;
  field: ParamField;
  value: unknown;
  disabled: boolean;
  /** Stores a value (undefined: unset, the default applies). */
  onCommit(value: unknown): void;
}

function TextInput({ schema, field, value, disabled, onCommit }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const [typeError, setTypeError] = useState<string | null>(null);
  const text = draft ?? formatFieldValue(value);
  const onChange = (next: string) => {
    setDraft(next);
    const parsed = parseFieldText(field, next);
    if (!parsed.ok) return setTypeError(parsed.message);
    setTypeError(null);
    onCommit(parsed.value);
  };
  const problem = typeError ?? (value === undefined && !field.required ? null : checkParam(schema, field.name, value));
  const placeholder = field.default !== undefined ? formatFieldValue(field.default) : field.required ? 'required' : 'unset';
  return (
    <>
      <input
        type="text"
        inputMode={field.kind === 'number' ? 'decimal' : undefined}
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={!!problem}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => setDraft(null)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
        data-testid={`inspector-field-${field.name}`}
      />
      {problem ? (
        <div className="field-error" data-testid={`inspector-error-${field.name}`}>
          {problem}
        </div>
      ) : null}
    </>
  );
}

/** The input for one param, chosen by the field's kind. */
export function ParamInput(props: Props) {
  const { field, value, disabled, onCommit } = props;
  const effective = value ?? field.default;
  switch (field.kind) {
    case 'boolean':
      return (
        <input
          type="checkbox"
          checked={effective === true}
          disabled={disabled}
          onChange={(e) => onCommit(e.target.checked)}
          data-testid={`inspector-field-${field.name}`}
        />
      );
    case 'enum':
      return (
        <select value={String(effective ?? '')} disabled={disabled} onChange={(e) => onCommit(e.target.value)} data-testid={`inspector-field-${field.name}`}>
          {effective === undefined ? <option value="">choose…</option> : null}
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'multi-enum': {
      const chosen = new Set(Array.isArray(effective) ? (effective as string[]) : []);
      const toggle = (o: string) => onCommit(field.options.filter((x) => (x === o ? !chosen.has(o) : chosen.has(x))));
      return (
        <div className="multi-enum" data-testid={`inspector-field-${field.name}`}>
          {field.options.map((o) => (
            <label key={o}>
              <input type="checkbox" checked={chosen.has(o)} disabled={disabled} onChange={() => toggle(o)} />
              {o}
            </label>
          ))}
        </div>
      );
    }
    default:
      return <TextInput {...props} />;
  }
}
