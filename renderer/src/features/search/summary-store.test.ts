import { describe, expect, it } from 'vitest';
import { moveNodes } from '../../store/commands/move.js';
import { setParam } from '../../store/commands/set-param.js';
import { spaceDigits } from '../../store/commands/test-docs.js';
import { summaryText, useSummaryStore, type SummaryCaller } from './summary-store.js';

describe('space summary store', () => {
  it('asks once per text, and a late answer for an older text does not replace the newer one', async () => {
    const asked: string[] = [];
    const pending = new Map<string, (v: unknown) => void>();
    const client = {
      call: (_m: string, p: { text: string }) => {
        asked.push(p.text);
        return new Promise((resolve) => pending.set(p.text, resolve));
      },
    } as unknown as SummaryCaller;
    const { request } = useSummaryStore.getState();
    const a = request(client, 'A');
    void request(client, 'A');
    const b = request(client, 'B');
    expect(asked).toEqual(['A', 'B']);
    pending.get('B')!({ size: 2 });
    await b;
    pending.get('A')!({ size: 1 });
    await a;
    expect(useSummaryStore.getState()).toMatchObject({ text: 'B', summary: { size: 2 }, loading: false });
    await request(client, 'B');
    expect(asked).toEqual(['A', 'B']);
  });

  it('keeps the engine error for the text', async () => {
    const client = { call: async () => Promise.reject(new Error('engine gone')) } as unknown as SummaryCaller;
    await useSummaryStore.getState().request(client, 'C');
    expect(useSummaryStore.getState()).toMatchObject({ text: 'C', summary: null, error: 'engine gone', loading: false });
  });

  it('asks again for an edit, not for a move', () => {
    const doc = spaceDigits();
    expect(summaryText(moveNodes({ stem: { x: 1, y: 2 } }).apply(doc))).toBe(summaryText(doc));
    expect(summaryText(setParam('stem', 'filters', 8).apply(doc))).not.toBe(summaryText(doc));
    expect(JSON.parse(summaryText(doc)).nodes[0]).toMatchObject({ id: 'pixels', position: { x: 0, y: 0 } });
  });
});
