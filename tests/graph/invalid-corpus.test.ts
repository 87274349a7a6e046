// Regression corpus (in the manner of Netron's test/models.json): every file under
// tests/fixtures/invalid must fail with exactly the error recorded in expected.json.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../engine/graph/errors.js';
import { inferShapes } from '../../engine/graph/infer.js';
import { loadGraphFromText } from '../../engine/graph/load.js';

const dir = path.join(import.meta.dirname, '../fixtures/invalid');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<
  string,
  { code: string; message: string; where: Record<string, unknown> }
>;
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.loom.json'))
  .sort();

describe('invalid .loom.json corpus', () => {
  it('has an expected error for every file and a file for every expected error', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(`${file} fails with its recorded error`, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      let caught: unknown;
      try {
        inferShapes(loadGraphFromText(text));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(GraphError);
      const err = caught as GraphError;
      expect({ code: err.code, message: err.message, where: err.where }).toEqual(expected[file]);
    });
  }
});

describe('valid fixtures', () => {
  it('tiny-mlp loads and infers [null,10] at its output', () => {
    const text = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/valid/tiny-mlp.loom.json'), 'utf8');
    const graph = loadGraphFromText(text);
    expect(graph.order).toEqual(['x', 'hidden', 'logits', 'y']);
    expect(inferShapes(graph).get('y')).toEqual([[null, 10]]);
  });
});
