/**
 * A form description of a layer's params, generated from its zod schema (through zod's
 * JSON Schema output), so the designer's inspector needs no per-kind code. Also the text
 * <-> value conversions and the per-field check the inspector uses. Pure.
 */
import { z } from 'zod';

/** What every field has. */
interface FieldBase {
  name: string;
  /** No default and not optional: the document must give a value. */
  required: boolean;
  /** The schema's default, when it has one. */
  default?: unknown;
  /** A short description of what is accepted, e.g. `integer > 0`. */
  hint: string;
}

/** One field of the params form. */
export type ParamField =
  | (FieldBase & { kind: 'number'; integer: boolean })
  | (FieldBase & { kind: 'enum'; options: string[] })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'multi-enum'; options: string[] })
  /** A list of numbers (e.g. a shape), typed as `28, 28, 1`. */
  | (FieldBase & { kind: 'list' })
  /** Anything else (a number or a pair, nested lists), typed as lenient JSON. */
  | (FieldBase & { kind: 'text' });

type Json = Record<string, unknown>;

const SAFE = Number.MAX_SAFE_INTEGER;

function numberHint(s: Json): string {
  const parts: string[] = [];
  if (typeof s.exclusiveMinimum === 'number') parts.push(`> ${s.exclusiveMinimum}`);
  else if (typeof s.minimum === 'number' && s.minimum > -SAFE) parts.push(`≥ ${s.minimum}`);
  if (typeof s.exclusiveMaximum === 'number') parts.push(`< ${s.exclusiveMaximum}`);
  else if (typeof s.maximum === 'number' && s.maximum < SAFE) parts.push(`≤ ${s.maximum}`);
  return `${s.type === 'integer' ? 'integer' : 'number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

function isNumberSchema(s: Json | undefined): boolean {
  return s?.type === 'integer' || s?.type === 'number';
}

function describeField(name: string, s: Json, required: boolean): ParamField {
  const base = { name, required, hint: '', ...(s.default !== undefined ? { default: s.default } : {}) };
  if (isNumberSchema(s)) return { ...base, kind: 'number', integer: s.type === 'integer', hint: numberHint(s) };
  if (s.type === 'boolean') return { ...base, kind: 'boolean', hint: 'on or off' };
  if (s.type === 'string' && Array.isArray(s.enum)) return { ...base, kind: 'enum', options: s.enum.map(String), hint: 'one of the options' };
  if (s.type === 'array' && s.items && typeof s.items === 'object') {
    const items = s.items as Json;
    if (items.type === 'string' && Array.isArray(items.enum)) {
      return { ...base, kind: 'multi-enum', options: items.enum.map(String), hint: 'any of the options' };
    }
    const alts = Array.isArray(items.anyOf) ? (items.anyOf as Json[]) : [items];
    if (alts.every((a) => isNumberSchema(a) || a.type === 'null')) {
      const nullable = alts.some((a) => a.type === 'null');
      const num = alts.find(isNumberSchema)!;
      return { ...base, kind: 'list', hint: `comma-separated, each ${numberHint(num)}${nullable ? ' or null (any size)' : ''}` };
    }
  }
  if (Array.isArray(s.anyOf)) {
    const alts = s.anyOf as Json[];
    const num = alts.find(isNumberSchema);
    if (num) return { ...base, kind: 'text', hint: `${numberHint(num)}, or a list such as 3, 5` };
  }
  return { ...base, kind: 'text', hint: 'a JSON value' };
}

/** The form fields of a params schema (a zod object), in declaration order. */
export function describeParams(schema: z.ZodType): ParamField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => describeField(name, s, required.has(name)));
}

/** The result of reading a field's text. `value: undefined` means "leave unset" (use the default). */
export type FieldParse = { ok: true; value: unknown } | { ok: false; message: string };

/** Reads `3`, `3, 5`, `[3, 5]` or `[[1, 1], [2, 2]]` as JSON, adding the outer brackets a list may omit. */
function lenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(`[${text}]`);
  }
}

/** Converts what the user typed into a param value. Checks the type only; ranges are `checkParam`'s. */
export function parseFieldText(field: ParamField, text: string): FieldParse {
  const t = text.trim();
  if (t === '') {
    return field.required ? { ok: false, message: 'required' } : { ok: true, value: undefined };
  }
  if (field.kind === 'number') {
    const v = Number(t);
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, message: `not a number: ${t}` };
  }
  let value: unknown;
  try {
    value = lenientJson(t);
  } catch {
    return { ok: false, message: field.kind === 'list' ? 'expected numbers separated by commas' : 'expected a number or a list such as 3, 5' };
  }
  if (field.kind === 'list' && !Array.isArray(value)) value = [value];
  return { ok: true, value };
}

/** Formats a param value for a text field (the inverse of `parseFieldText`). */
export function formatFieldValue(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || v === null)) return value.map(String).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Checks one param value against the kind's schema; returns the problem or null. An
 * undefined value is fine when the field is optional or has a default.
 */
export function checkParam(schema: z.ZodType, name: string, value: unknown): string | null {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  const field = shape[name];
  if (!field) return `unknown param "${name}"`;
  const r = field.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${at}${issue.message.replace(/^Invalid input: expected (.+), received undefined$/, 'missing; expected $1')}`;
}
