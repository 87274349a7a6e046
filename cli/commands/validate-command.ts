/** `layerloom validate FILE`: load, check, and print per-node shapes, params and FLOPs. */
import fs from 'node:fs';
import os from 'node:os';
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { loadGraphFromText } from '../../engine/graph/load.js';
import { assertFitsMemory, describeMemory, estimateTrainingMemory, memoryInputs, trainingOf } from '../../engine/graph/memory.js';
import { fmtShape } from '../../engine/layers/common.js';
import type { CliValues } from '../options.js';
import { printableLine } from '../../engine/util/printable.js';
import { UsageError } from './errors.js';

/** Reads a graph file, with errors naming the file. */
export function readGraphFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Validates one file; prints a table (or JSON) of shapes and costs. */
export async function validateCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length !== 1) throw new UsageError('validate takes one FILE.loom.json');
  const file = args[0];
  let graph;
  try {
    graph = loadGraphFromText(readGraphFile(file));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  let shapes;
  try {
    shapes = inferShapes(graph);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const cost = graphCost(graph, shapes);
  const memory = estimateTrainingMemory(memoryInputs(graph, shapes, cost.perNode), trainingOf(graph.doc));
  // A graph that cannot be trained here is refused now, naming its largest node, not in train.
  try {
    assertFitsMemory(memory, os.totalmem());
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const rows = graph.order.map((id) => ({
    id,
    kind: graph.nodes.get(id)!.kind,
    shape: shapes.get(id)?.[0] ?? null,
    params: cost.perNode.get(id)?.params ?? 0,
    flops: cost.perNode.get(id)?.flops ?? 0,
  }));
  if (values.json) {
    const { dominant: _d, largestWeights: _l, ...bytes } = memory;
    process.stdout.write(`${JSON.stringify({ ok: true, nodes: rows, params: cost.params, flops: cost.flops, memory: bytes })}\n`);
    return 0;
  }
  for (const r of rows) {
    process.stdout.write(
      `${printableLine(r.id).padEnd(16)} ${r.kind.padEnd(16)} ${(r.shape ? fmtShape(r.shape) : '').padEnd(22)} ${String(r.params).padStart(10)}\n`,
    );
  }
  process.stdout.write(`total: ${cost.params} parameters, ${(cost.flops / 1e6).toFixed(2)} MFLOPs per sample\n`);
  process.stdout.write(`memory: ${describeMemory(memory)}\n`);
  return 0;
}
