/** The search feature: the Search side panel, and the space summary for a permanent place in the layout. */
export { SearchPanel } from './SearchPanel.js';
export { SpaceSummary, SpaceSummaryStrip } from './SpaceSummary.js';
