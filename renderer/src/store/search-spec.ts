/**
 * Searchable params as the inspector edits them: a `{"choice": [...]}` or
 * `{"range": [min, max, step], "log"?: true}` value (exactly the format nas/space/drawn-parse.ts
 * reads), the form model behind it, its problems and the badge a node shows. Pure.
 */
import { checkParam, type ParamField } from '../../../engine/graph/param-form.js';
import type { z } from 'zod';
import { isSearchableValue, paramOptions } from '../../../nas/space/drawn-parse.js';
import type { DecisionValue } from '../../../nas/space/types.js';

/** The form model of a searchable param. */
export type SpecModel = { mode: 'choice'; values: DecisionValue[] } | { mode: 'range'; min: number; max: number; step: number; log: boolean };

/** Param kinds whose value can become a choice or range (options must be scalars). */
export function canSearch(field: ParamField): boolean {
  return field.kind === 'number' || field.kind === 'enum' || field.kind === 'boolean' || field.kind === 'text';
}

function isScalar(v: unknown): v is DecisionValue {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/** Reads a stored value as a spec model; null when it is a concrete value. */
export function specOf(value: unknown): SpecModel | null {
  if (!isSearchableValue(value)) return null;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.choice)) return { mode: 'choice', values: v.choice.filter(isScalar) };
  const r = Array.isArray(v.range) ? v.range : [];
  const num = (i: number, d: number) => (typeof r[i] === 'number' ? (r[i] as number) : d);
  return { mode: 'range', min: num(0, 0), max: num(1, 0), step: num(2, 1), log: v.log === true };
}

/** The document value of a spec model. */
export function specValue(m: SpecModel): Record<string, unknown> {
  if (m.mode === 'choice') return { choice: [...m.values] };
  return m.log ? { range: [m.min, m.max, m.step], log: true } : { range: [m.min, m.max, m.step] };
}

/** The spec a param starts with when it is made searchable: a choice of its current value. */
export function startSpec(value: unknown, field: ParamField): SpecModel {
  const v = value ?? field.default;
  return { mode: 'choice', values: isScalar(v) ? [v] : [] };
}

/** The options a spec denotes, or null when it is malformed. */
export function optionsOf(value: unknown): DecisionValue[] | null {
  try {
    return paramOptions('', '', value as Record<string, unknown>);
  } catch {
    return null;
  }
}

/** The concrete value a searchable param falls back to when search is switched off: its first option. */
export function concreteFrom(value: unknown): DecisionValue | undefined {
  return optionsOf(value)?.[0];
}

/** Converts between choice and range, keeping what carries over. */
export function switchMode(m: SpecModel, mode: SpecModel['mode']): SpecModel {
  if (m.mode === mode) return m;
  if (m.mode === 'range') {
    const values = optionsOf(specValue(m)) ?? [];
    return { mode: 'choice', values: values.length <= 16 ? values : [m.min, m.max] };
  }
  const nums = m.values.filter((v): v is number => typeof v === 'number');
  const min = nums.length ? Math.min(...nums) : 1;
  const max = nums.length ? Math.max(...nums) : min;
  return { mode: 'range', min, max, step: 1, log: false };
}

/**
 * What is wrong with a searchable value: the space's own message (bad range, duplicate
 * option) or the first option the kind's schema rejects; null when it is fine.
 */
export function specProblem(value: unknown, field: string, schema?: z.ZodType): string | null {
  let options: DecisionValue[];
  try {
    options = paramOptions('', field, value as Record<string, unknown>);
  } catch (e) {
    return (e as Error).message.replace(/^node "": [^:]*: /, '');
  }
  if (!schema) return null;
  for (const o of options) {
    const p = checkParam(schema, field, o);
    if (p) return `option ${JSON.stringify(o)}: ${p}`;
  }
  return null;
}

/** Reads one typed option (a chip): a number when it looks like one, else the text. */
export function parseOption(field: ParamField, text: string): DecisionValue | null {
  const t = text.trim();
  if (!t) return null;
  if (field.kind === 'boolean') return t === 'true' ? true : t === 'false' ? false : null;
  if (field.kind === 'enum') return field.options.includes(t) ? t : null;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  return field.kind === 'number' ? null : t;
}

/** A number for a badge: exponents for very small or large magnitudes (`1e-4`). */
function fmt(v: DecisionValue, exp: boolean): string {
  if (typeof v !== 'number') return String(v);
  return exp && v !== 0 ? v.toExponential().replace('e+', 'e') : String(v);
}

function wantsExp(...xs: number[]): boolean {
  return xs.some((x) => x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6));
}

/** The badge of a searchable param, e.g. `filters ∈ {16,32,64}` or `lr ∈ [1e-4, 1e-2] log`; null for a concrete value. */
export function badgeText(param: string, value: unknown): string | null {
  const m = specOf(value);
  if (!m) return null;
  if (m.mode === 'choice') {
    const exp = wantsExp(...m.values.filter((v): v is number => typeof v === 'number'));
    return `${param} ∈ {${m.values.map((v) => fmt(v, exp)).join(',')}}`;
  }
  const exp = wantsExp(m.min, m.max);
  const tail = m.log ? (m.step === 10 ? ' log' : ` log ×${m.step}`) : m.step === 1 ? '' : ` step ${m.step}`;
  return `${param} ∈ [${fmt(m.min, exp)}, ${fmt(m.max, exp)}]${tail}`;
}
