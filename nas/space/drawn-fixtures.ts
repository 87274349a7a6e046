/**
 * Small drawn-space documents for the drawn-space tests: built in code so each test shows the
 * one construct it exercises.
 */

/** A node as a test writes it. */
export interface N {
  id: string;
  kind: string;
  params?: Record<string, unknown>;
  group?: string;
  alternative?: number;
}

/** An edge as a test writes it. */
export type E = [string, string] | [string, string, { optional?: boolean; targetPort?: string }];

/** `.loom.json` text for nodes and edges (positions defaulted). */
export function spaceText(nodes: N[], edges: E[], name = 'test-space'): string {
  return JSON.stringify({
    version: 1,
    name,
    nodes: nodes.map((n) => ({ params: {}, ...n })),
    edges: edges.map(([source, target, extra]) => ({ source, target, ...extra })),
  });
}

/** Input [8,8,1] -> ...middle... -> Flatten -> Dense(10, softmax) -> Output, wired in order. */
export function imageChain(middle: N[], extraEdges: E[] = [], extraNodes: N[] = []): string {
  const nodes: N[] = [
    { id: 'in', kind: 'Input', params: { shape: [8, 8, 1] } },
    ...middle,
    { id: 'flat', kind: 'Flatten' },
    { id: 'dense', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
    { id: 'out', kind: 'Output' },
    ...extraNodes,
  ];
  const spine = nodes.slice(0, middle.length + 4);
  const edges: E[] = spine.slice(1).map((n, i) => [spine[i].id, n.id]);
  return spaceText(nodes, [...edges, ...extraEdges]);
}
