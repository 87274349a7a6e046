/**
 * A generated graph of `n` nodes for the responsiveness test: an Input, residual blocks
 * (Dense -> Dense -> Add with the block's input) and an Output, laid out in columns.
 */
import type { LoomDocumentInput } from '../../engine/graph/schema.js';

export function bigGraph(n: number): LoomDocumentInput {
  const nodes: LoomDocumentInput['nodes'] = [];
  const edges: LoomDocumentInput['edges'] = [];
  const perColumn = 40;
  const place = () => {
    const i = nodes.length;
    return { x: Math.floor(i / perColumn) * 260, y: (i % perColumn) * 120 };
  };
  const add = (id: string, kind: string, params: Record<string, unknown>, from: string[]) => {
    nodes.push({ id, kind, params, position: place() });
    for (const source of from) edges.push({ id: `e_${source}_${id}`, source, target: id });
  };
  add('input', 'Input', { shape: [32] }, []);
  let last = 'input';
  let block = 0;
  while (nodes.length + 3 <= n - 1) {
    block++;
    add(`dense_a${block}`, 'Dense', { units: 32, activation: 'relu' }, [last]);
    add(`dense_b${block}`, 'Dense', { units: 32 }, [`dense_a${block}`]);
    add(`add${block}`, 'Add', {}, [last, `dense_b${block}`]);
    last = `add${block}`;
  }
  while (nodes.length < n - 1) {
    const id = `tail${nodes.length}`;
    add(id, 'Activation', { fn: 'relu' }, [last]);
    last = id;
  }
  add('output', 'Output', { loss: 'meanSquaredError', metrics: ['mse'] }, [last]);
  return { version: 1, name: `big-${n}`, nodes, edges };
}
