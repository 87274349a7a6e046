/** The opened Cell's DAG renders without a browser (server rendering), with the search's heat. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import { useViewStore } from '../../store/view-store.js';
import { CellDag } from './CellNode.js';
import { heatColor } from './heat.js';

describe('Cell DAG', () => {
  // Server rendering reads zustand's initial state object.
  const initial = useViewStore.getInitialState();
  const saved = initial.choiceHeat;
  afterAll(() => void (initial.choiceHeat = saved));

  it('draws 4 nodes and 6 edges, each with its op set, the shown op marked and the decision `<cell>.<i->j>` as heat', () => {
    initial.choiceHeat = { 'c.0->1': { none: 0.1, skip_connect: 0.1, nor_conv_1x1: 0.1, nor_conv_3x3: 0.6, avg_pool_3x3: 0.1 }, 'other.0->1': { none: 1 } };
    const html = renderToStaticMarkup(createElement(CellDag, { id: 'c', ops: ['skip_connect', 'none', 'none', 'none', 'none', 'nor_conv_3x3'] }));
    expect(html.match(/<circle/g)).toHaveLength(4);
    expect(html.match(/<path/g)).toHaveLength(6);
    expect(html.match(/data-testid="cell-edge-c-/g)).toHaveLength(6);
    expect(html).toContain('data-testid="cell-edge-c-2-3"');
    expect(html.match(/\{none, skip, conv1x1, conv3x3, avgpool3x3\}/g)).toHaveLength(6);
    // Edge 0->1 is heated by its leading real op (conv3x3, 0.6); its ops by their own probabilities.
    expect(html).toContain(`stroke:${heatColor(0.6)}`);
    expect(html).toContain(`background:${heatColor(0.6)}`);
    expect(html.match(/class="cell-op shown"/g)).toHaveLength(6);
    expect(html.match(/class="heated"/g)).toHaveLength(1);
  });
});
