/**
 * The inspector's searchable-param controls: a toggle that turns a param into a choice (or
 * back into its first option), and the editor of a choice (chips) or a range (min, max, step,
 * log). Every change is a command; the spec's problems show under the field.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { ParamField } from '../../../../engine/graph/param-form.js';
import type { DecisionValue } from '../../../../nas/space/types.js';
import { makeConcrete, makeSearchable } from '../../store/commands/space.js';
import { setParam } from '../../store/commands/set-param.js';
import { perform } from '../../store/edit.js';
import { concreteFrom, optionsOf, parseOption, specOf, specProblem, specValue, startSpec, switchMode, type SpecModel } from '../../store/search-spec.js';

interface ToggleProps {
  nodeId: string;
  field: ParamField;
  value: unknown;
  disabled: boolean;
}

/** The "search over this param" switch beside a param's name. */
export function SearchToggle({ nodeId, field, value, disabled }: ToggleProps) {
  const on = specOf(value) !== null;
  const flip = () => {
    if (on) perform(makeConcrete(nodeId, field.name, concreteFrom(value)));
    else perform(makeSearchable(nodeId, field.name, specValue(startSpec(value, field))));
  };
  return (
    <button
      type="button"
      className={`search-toggle${on ? ' on' : ''}`}
      aria-pressed={on}
      disabled={disabled}
      onClick={flip}
      title={on ? 'Searchable: click to fix it to its first option' : 'Make this param searchable (a choice or a range)'}
      data-testid={`inspector-search-${field.name}`}
    >
      ∈
    </button>
  );
}

/** A number input that commits only what parses. */
function NumberBox({
  value,
  onCommit,
  testId,
  label,
  disabled,
}: {
  value: number;
  onCommit(v: number): void;
  testId: string;
  label: string;
  disabled: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label className="spec-number">
      <span>{label}</span>
      <input
        type="text"
        inputMode="decimal"
        value={draft ?? String(value)}
        disabled={disabled}
        aria-invalid={draft !== null && !Number.isFinite(Number(draft))}
        onChange={(e) => {
          setDraft(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value.trim() && Number.isFinite(n)) onCommit(n);
        }}
        onBlur={() => setDraft(null)}
        data-testid={testId}
      />
    </label>
  );
}

function Chips({
  field,
  model,
  set,
  disabled,
}: {
  field: ParamField;
  model: Extract<SpecModel, { mode: 'choice' }>;
  set(m: SpecModel): void;
  disabled: boolean;
}) {
  const [draft, setDraft] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  const add = (v: DecisionValue | null) => {
    if (v === null) return setBad(`not a valid option: ${draft}`);
    setBad(null);
    setDraft('');
    set({ mode: 'choice', values: [...model.values, v] });
  };
  const remaining =
    field.kind === 'enum'
      ? field.options.filter((o) => !model.values.includes(o))
      : field.kind === 'boolean'
        ? ['true', 'false'].filter((o) => !model.values.includes(o === 'true'))
        : null;
  return (
    <div className="spec-chips">
      {model.values.map((v, i) => (
        <span key={`${String(v)}-${i}`} className="spec-chip" data-testid={`inspector-chip-${field.name}-${i}`}>
          {String(v)}
          <button
            type="button"
            disabled={disabled}
            onClick={() => set({ mode: 'choice', values: model.values.filter((_, k) => k !== i) })}
            aria-label={`Remove ${String(v)}`}
            data-testid={`inspector-chip-remove-${field.name}-${i}`}
          >
            ×
          </button>
        </span>
      ))}
      {remaining ? (
        remaining.length ? (
          <select value="" disabled={disabled} onChange={(e) => add(parseOption(field, e.target.value))} data-testid={`inspector-chip-add-${field.name}`}>
            <option value="">add…</option>
            {remaining.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : null
      ) : (
        <input
          type="text"
          className="spec-chip-add"
          placeholder="add…"
          value={draft}
          disabled={disabled}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault();
              add(parseOption(field, draft));
            }
          }}
          onBlur={() => draft.trim() && add(parseOption(field, draft))}
          data-testid={`inspector-chip-add-${field.name}`}
        />
      )}
      {bad ? <div className="field-error">{bad}</div> : null}
    </div>
  );
}

interface EditorProps extends ToggleProps {
  schema: z.ZodType;
}

/** The editor of a searchable param's choice or range, with its problems. */
export function SearchSpecEditor({ nodeId, field, value, disabled, schema }: EditorProps) {
  const model = specOf(value);
  if (!model) return null;
  const set = (m: SpecModel) => perform(setParam(nodeId, field.name, specValue(m)));
  const numeric = field.kind === 'number' || field.kind === 'text';
  const problem = specProblem(value, field.name, schema);
  const count = optionsOf(value)?.length;
  const id = (what: string) => `inspector-${what}-${field.name}`;
  return (
    <div className="spec-editor" data-testid={id('spec')}>
      {numeric ? (
        <div className="spec-mode" role="radiogroup">
          {(['choice', 'range'] as const).map((m) => (
            <label key={m}>
              <input type="radio" checked={model.mode === m} disabled={disabled} onChange={() => set(switchMode(model, m))} data-testid={id(`spec-${m}`)} />
              {m}
            </label>
          ))}
        </div>
      ) : null}
      {model.mode === 'choice' ? (
        <Chips field={field} model={model} set={set} disabled={disabled} />
      ) : (
        <div className="spec-range">
          <NumberBox label="min" value={model.min} disabled={disabled} onCommit={(min) => set({ ...model, min })} testId={id('range-min')} />
          <NumberBox label="max" value={model.max} disabled={disabled} onCommit={(max) => set({ ...model, max })} testId={id('range-max')} />
          <NumberBox
            label={model.log ? 'factor' : 'step'}
            value={model.step}
            disabled={disabled}
            onCommit={(step) => set({ ...model, step })}
            testId={id('range-step')}
          />
          <label className="spec-log">
            <input
              type="checkbox"
              checked={model.log}
              disabled={disabled}
              onChange={(e) => set({ ...model, log: e.target.checked, step: e.target.checked ? 10 : 1 })}
              data-testid={id('range-log')}
            />
            log
          </label>
        </div>
      )}
      {problem ? (
        <div className="field-error" data-testid={id('error')}>
          {problem}
        </div>
      ) : (
        <div className="form-hint">{count === 1 ? '1 option: add more to search' : `${count} options`}</div>
      )}
    </div>
  );
}
