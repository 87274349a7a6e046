import { describe, expect, it } from 'vitest';
import { downloadUrl, runToExport } from './export-onnx.js';

describe('export ONNX from a run', () => {
  it('builds the download URL with the page token and the file name', () => {
    expect(downloadUrl('/download/exports/r1.onnx', 'net-r1.onnx', '?token=a+b/c')).toBe('/download/exports/r1.onnx?token=a+b%2Fc&name=net-r1.onnx');
  });

  it('exports the selected run, else the latest trained one that is not training', async () => {
    const runs = [
      { id: 'r3', epochsDone: 2, active: true },
      { id: 'r2', epochsDone: 0, active: false },
      { id: 'r1', epochsDone: 5, active: false },
    ];
    const asked: unknown[] = [];
    const client = { call: async (method: string, params: unknown) => (asked.push([method, params]), { runs }) } as never;
    expect(await runToExport(client, 'p', 'r9')).toBe('r9');
    expect(asked).toEqual([]);
    expect(await runToExport(client, 'p', null)).toBe('r1');
    expect(asked).toEqual([['runs.list', { project: 'p' }]]);
    const none = { call: async () => ({ runs: [] }) } as never;
    expect(await runToExport(none, 'p', null)).toBeNull();
  });
});
