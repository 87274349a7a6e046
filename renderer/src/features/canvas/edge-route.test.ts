/**
 * Readable graphs: over every example and template in examples/ (spaces included), with the
 * positions they are stored with and after auto-layout, no routed edge runs through a node
 * box, and every route is made of vertical and horizontal runs from port to port.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../engine/graph/load.js';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { withEdgeIds } from '../../store/commands/ids.js';
import { autoLayout, DEFAULT_NODE_SIZE } from './auto-layout.js';
import { labelPoint, ObstacleIndex, roundedPath, routeEdge, routeHits, type XY } from './edge-route.js';
import { portsOf, routeObstacles } from './route-boxes.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);

function exampleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? exampleFiles(path.join(dir, e.name)) : e.name.endsWith('.loom.json') ? [path.join(dir, e.name)] : []));
}

const files = exampleFiles(examplesDir.pathname);
const size = () => DEFAULT_NODE_SIZE;

/** Routes every edge of `doc` at its positions; returns the problems found. */
function check(doc: LoomDocument): string[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n.position]));
  const index = routeObstacles(doc, (id) => byId.get(id)!, size);
  const problems: string[] = [];
  for (const e of doc.edges) {
    const ports = portsOf(index, e.source, e.target)!;
    const route = routeEdge(ports.s, ports.t, index, e.source, e.target);
    const hits = routeHits(route, index, e.source, e.target, 0);
    if (hits) problems.push(`${e.source} -> ${e.target} crosses ${hits} node(s): ${JSON.stringify(route)}`);
    expect(route[0]).toEqual(ports.s);
    expect(route.at(-1)).toEqual(ports.t);
    for (let i = 0; i + 1 < route.length; i++) expect(route[i].x === route[i + 1].x || route[i].y === route[i + 1].y).toBe(true);
  }
  return problems;
}

describe('edge routes over examples/', () => {
  it('finds the examples and templates', () => {
    expect(files.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(['resnet-block-shapes.loom.json', 'lenet-mnist.loom.json', 'space-digits.loom.json']),
    );
  });

  it.each(files.map((f) => [path.relative(examplesDir.pathname, f), f]))('%s: no edge crosses a node, as stored and after auto-layout', async (_name, file) => {
    const doc = withEdgeIds(parseDocument(JSON.parse(fs.readFileSync(file, 'utf8'))));
    expect(check(doc)).toEqual([]);
    const positions = await autoLayout(doc, size);
    const laid = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: positions[n.id] ?? n.position })) };
    expect(check(laid)).toEqual([]);
  });

  it('sends a residual edge around its block, on a lane beside it', () => {
    // One column: a -> b -> c -> d, and a -> d over b and c.
    const box = (id: string, y: number) => ({ id, x: 0, y, width: 200, height: 60 });
    const index = new ObstacleIndex([box('a', 0), box('b', 100), box('c', 200), box('d', 300)]);
    const route = routeEdge({ x: 100, y: 60 }, { x: 100, y: 300 }, index, 'a', 'd');
    expect(routeHits(route, index, 'a', 'd', 0)).toBe(0);
    const xs = route.map((p: XY) => p.x);
    expect(Math.max(...xs) > 200 || Math.min(...xs) < 0).toBe(true); // beside the column
    // Adjacent nodes keep a straight edge.
    expect(routeEdge({ x: 100, y: 60 }, { x: 100, y: 100 }, index, 'a', 'b')).toEqual([
      { x: 100, y: 60 },
      { x: 100, y: 100 },
    ]);
    expect(roundedPath(route)).toMatch(/^M 100 60 L .* Q .* L 100 300$/);
    expect(labelPoint(route).x).toBe(xs.find((x) => x > 200 || x < 0));
  });

  it('routes a back edge (target above source) without crossing either end', () => {
    const index = new ObstacleIndex([
      { id: 'a', x: 0, y: 0, width: 200, height: 60 },
      { id: 'b', x: 0, y: 200, width: 200, height: 60 },
    ]);
    const route = routeEdge({ x: 100, y: 260 }, { x: 100, y: 0 }, index, 'b', 'a');
    expect(routeHits(route, index, 'b', 'a', 0)).toBe(0);
  });
});
