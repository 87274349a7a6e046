/**
 * The search-space container kinds as the designer knows them: Choice, Repeat and Cell are
 * not engine layers (nas/space/drawn-parse.ts reads them), so their palette entries, ports,
 * starter params and form fields live here. Pure.
 */
import type { LoomDocument, LoomNode } from '../../../engine/graph/schema.js';
import { z } from 'zod';
import { describeParams, type ParamField } from '../../../engine/graph/param-form.js';
import { getLayer } from '../../../engine/layers/index.js';
import type { PortSpec } from '../../../engine/layers/types.js';
import { CONTAINER_KINDS } from '../../../nas/space/drawn-parse.js';

/** Choice | Repeat | Cell. */
export type ContainerKind = (typeof CONTAINER_KINDS)[number];

/** What the palette and inspector show for a container kind. */
export interface ContainerDef {
  kind: ContainerKind;
  label: string;
  doc: string;
  /** Params a new node gets. */
  starter: Record<string, unknown>;
  /** Its params as drawn-parse.ts accepts them (the inspector's form and field checks). */
  params: z.ZodType;
  fields: ParamField[];
}

const count = z.number().int().min(1);

function def(kind: ContainerKind, label: string, doc: string, starter: Record<string, unknown>, params: z.ZodType): ContainerDef {
  return { kind, label, doc, starter, params, fields: describeParams(params) };
}

/** The container kinds, in palette order. */
export const containerDefs: Record<ContainerKind, ContainerDef> = {
  Choice: def('Choice', 'Choice', 'Alternative sub-paths (lanes); the search keeps one. Drop layers into a lane.', {}, z.object({})),
  Repeat: def(
    'Repeat',
    'Repeat',
    'A block of layers repeated min..max times; the search picks the count. Drop layers into it.',
    { min: 1, max: 3 },
    z.object({ min: count.max(64), max: count.max(64) }),
  ),
  Cell: def(
    'Cell',
    'Cell (NB201)',
    'A NAS-Bench-201 cell: a 4-node DAG with an op choice on each of its 6 edges.',
    {},
    z.object({ channels: count.max(1 << 16).optional() }),
  ),
};

/** True for Choice, Repeat and Cell. */
export function isContainerKind(kind: string): kind is ContainerKind {
  return (CONTAINER_KINDS as readonly string[]).includes(kind);
}

/** True for the kinds drawn as frames holding other nodes (Choice, Repeat). */
export function isFrameKind(kind: string): boolean {
  return kind === 'Choice' || kind === 'Repeat';
}

const IN: PortSpec[] = [{ name: 'in' }];
const OUT: PortSpec[] = [{ name: 'out' }];
const NONE: PortSpec[] = [];

/** The ports of a node kind: the layer's, or one input and one output for a container. */
export function portsOf(kind: string): { inputs: PortSpec[]; outputs: PortSpec[] } {
  const def = getLayer(kind);
  if (def) return { inputs: def.inputs, outputs: def.outputs };
  return isContainerKind(kind) ? { inputs: IN, outputs: OUT } : { inputs: NONE, outputs: NONE };
}

/** The frame a node sits in: `group#alternative`, or '' at the top level (as drawn-parse.ts compares them). */
export function slotOf(node: LoomNode | undefined): string {
  return node?.group === undefined ? '' : `${node.group}#${node.alternative ?? 0}`;
}

/** The members of container `id`, in document order. */
export function membersOf(doc: LoomDocument, id: string): LoomNode[] {
  return doc.nodes.filter((n) => n.group === id);
}
