import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsv, parseCsv, splitCsvLine } from './csv.js';
import { loadDataset } from './registry.js';
import { DataError } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const IRIS = 'sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n';

describe('CSV', () => {
  it('detects a header and maps string targets to classes', async () => {
    const ds = await loadCsv(file('iris.csv', IRIS));
    expect(ds.task).toBe('classification');
    expect(ds.count).toBe(4);
    expect(ds.inputShape).toEqual([2]);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(ds.y)).toEqual([0, 1, 2, 0]);
    expect(Array.from(ds.x.subarray(0, 2))).toEqual([Math.fround(5.1), Math.fround(1.4)]);
  });

  it('chooses the target by name or index; floats mean regression', async () => {
    const p = file('reg.csv', 'a,b,c\n1,2.5,0\n3,4.5,1\n5,6.5,0\n');
    const byName = await loadDataset(`csv:${p}`, { target: 'b' });
    expect(byName.task).toBe('regression');
    expect(byName.targetShape).toEqual([1]);
    expect(Array.from(byName.y)).toEqual([2.5, 4.5, 6.5]);
    expect(Array.from(byName.x.subarray(0, 2))).toEqual([1, 0]);
    const byIndex = await loadCsv(p, { target: '0' });
    expect(byIndex.task).toBe('classification');
    expect(byIndex.classNames).toEqual(['1', '3', '5']);
    const last = await loadCsv(p);
    expect(last.numClasses).toBe(2);
    const forced = await loadCsv(p, { task: 'regression' });
    expect(forced.task).toBe('regression');
    await expect(loadCsv(p, { target: 'zz' })).rejects.toThrow(/no column named 'zz'; columns are: a, b, c/);
  });

  it('works without a header and with gzip and quotes', async () => {
    const p = file('nohead.csv.gz', gzipSync('1,2,"x"\n3,4,"y, z"\n'));
    const ds = await loadCsv(p);
    expect(ds.count).toBe(2);
    expect(ds.classNames).toEqual(['x', 'y, z']);
    expect(splitCsvLine('"a ""b""",2')).toEqual(['a "b"', '2']);
  });

  it('rejects ragged rows with the line number', async () => {
    const p = file('ragged.csv', 'a,b,c\n1,2,3\n\n4,5\n');
    const err = await loadCsv(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).position).toBe('line 4');
    expect((err as Error).message).toMatch(/ragged\.csv \(line 4\): ragged row: expected 3 columns, found 2/);
  });

  it('rejects a non-numeric feature cell with line and column', async () => {
    const p = file('text.csv', 'a,b,c\n1,2,3\n4,oops,6\n');
    await expect(loadCsv(p)).rejects.toThrow(/text\.csv \(line 3, column 2\): non-numeric value 'oops' in feature column 'b'/);
    expect(() => parseCsv('1,,3\n', 'e.csv')).toThrow(/e\.csv \(line 1, column 2\): empty cell/);
  });

  it('rejects string targets when regression is forced', () => {
    expect(() => parseCsv(IRIS, 'iris.csv', { task: 'regression' })).toThrow(/iris\.csv \(line 2, column 3\): non-numeric target 'setosa'/);
  });

  it('names the row and column of a text label in a numeric target column instead of adding a class', () => {
    const text = 'a,b,label\n1,2,0\n3,4,1\n5,6,n/a\n7,8,1\n';
    expect(() => parseCsv(text, 'mixed.csv')).toThrow(
      /mixed\.csv \(line 4, column 3\): non-numeric target 'n\/a' in target column 'label', whose other values are numbers \(3 of 4\)/,
    );
    const err = (() => {
      try {
        parseCsv(text, 'mixed.csv');
      } catch (e) {
        return e as DataError;
      }
    })();
    expect(err?.position).toBe('line 4, column 3');
    // Forced classification reads every value as a class name; mostly-text columns stay classes.
    expect(parseCsv(text, 'mixed.csv', { task: 'classification' }).classNames).toEqual(['0', '1', 'n/a']);
    expect(parseCsv('a,label\n1,cat\n2,dog\n3,7\n', 'pets.csv').classNames).toHaveLength(3);
  });
});
