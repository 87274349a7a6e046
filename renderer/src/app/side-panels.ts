/**
 * The tabs of the right-hand side panel. A feature adds its panel with one line here, so
 * features do not edit each other's layout.
 */
import type { ComponentType } from 'react';
import { Inspector } from '../features/inspector/Inspector.js';
import { Summary } from '../features/summary/Summary.js';
import { SearchPanel } from '../features/search/index.js';
import { TrainingPanel } from '../features/training/TrainingPanel.js';
import { RunsPanel } from '../features/runs/RunsPanel.js';

/** One tab. */
export interface SidePanel {
  id: string;
  title: string;
  Component: ComponentType;
}

/** Every side panel, in tab order. */
export const sidePanels: SidePanel[] = [
  { id: 'inspector', title: 'Inspector', Component: Inspector },
  { id: 'summary', title: 'Summary', Component: Summary },
  { id: 'training', title: 'Training', Component: TrainingPanel },
  { id: 'runs', title: 'Runs', Component: RunsPanel },
  { id: 'search', title: 'Search', Component: SearchPanel },
];
