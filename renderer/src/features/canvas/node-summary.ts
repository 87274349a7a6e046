/** The short texts a node shows: its key params and its output shape. */
import { describeParams, type ParamField } from '../../../../engine/graph/param-form.js';
import { fmtShape } from '../../../../engine/layers/common.js';
import { getLayer } from '../../../../engine/layers/index.js';
import type { Shape } from '../../../../engine/layers/types.js';
import { isSearchableValue } from '../../../../nas/space/drawn-parse.js';
import { containerDefs, isContainerKind } from '../../store/containers.js';

const fieldCache = new Map<string, ParamField[]>();

/** The form fields of a kind or container kind (cached: the registry does not change at run time). */
export function fieldsOf(kind: string): ParamField[] {
  let fields = fieldCache.get(kind);
  if (!fields) {
    const def = getLayer(kind);
    fields = def ? describeParams(def.params) : isContainerKind(kind) ? containerDefs[kind].fields : [];
    fieldCache.set(kind, fields);
  }
  return fields;
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? `(${formatValue(x)})` : x === null ? '?' : String(x))).join('×');
  return String(v);
}

/**
 * Up to `max` concrete params the document sets for this node, e.g. `filters 32 · kernelSize 3 · relu`
 * (searchable ones are shown as badges instead).
 */
export function keyParams(kind: string, params: Record<string, unknown>, max = 3): string {
  const parts: string[] = [];
  for (const f of fieldsOf(kind)) {
    if (!(f.name in params) || parts.length >= max || isSearchableValue(params[f.name])) continue;
    const v = params[f.name];
    parts.push(f.kind === 'enum' && (f.name === 'activation' || f.name === 'fn') ? String(v) : `${f.name} ${formatValue(v)}`);
  }
  return parts.join(' · ');
}

/** A shape for display, e.g. `[null,26,26,32]`. */
export function shapeText(shape: Shape | undefined): string | null {
  return shape ? fmtShape(shape) : null;
}

/** A count with thousands separators: 1,234,567. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** FLOPs in K/M/G units: 1.2 M. */
export function formatFlops(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, unit] of units) if (n >= scale) return `${(n / scale).toFixed(n >= scale * 100 ? 0 : 1)} ${unit}`;
  return String(n);
}
