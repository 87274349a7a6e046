/**
 * The live summary of the open document as a search space (`space.summary`): one request per
 * distinct document text, shared by every place that shows it, the latest answer winning.
 */
import { create } from 'zustand';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import type { EngineClient } from '../../engine/client.js';
import { documentText } from '../../store/document-store.js';
import type { SpaceSummaryInfo } from './types.js';

/** The document as the summary sees it: positions left out, so moving nodes asks nothing again. */
export function summaryText(doc: LoomDocument): string {
  return documentText({ ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) });
}

/** What the summary needs from the engine client. */
export type SummaryCaller = Pick<EngineClient, 'call'>;

interface SummaryState {
  /** The text the shown summary (or the request in flight) is for. */
  text: string | null;
  summary: SpaceSummaryInfo | null;
  loading: boolean;
  error: string | null;
  /** Summarizes `text` unless it is already summarized or being summarized. */
  request(client: SummaryCaller, text: string): Promise<void>;
}

/** The store of the document's space summary. */
export const useSummaryStore = create<SummaryState>((set, get) => ({
  text: null,
  summary: null,
  loading: false,
  error: null,
  async request(client, text) {
    if (get().text === text && (get().loading || get().summary || get().error)) return;
    set({ text, loading: true, error: null });
    try {
      const summary = await client.call('space.summary', { text });
      if (get().text === text) set({ summary, loading: false });
    } catch (e) {
      if (get().text === text) set({ error: (e as Error).message, loading: false, summary: null });
    }
  },
}));
