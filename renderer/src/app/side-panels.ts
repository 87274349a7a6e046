/**
 * The tabs of the right-hand side panel. A feature adds its panel with one line here, so
 * features do not edit each other's layout.
 */
import type { ComponentType } from 'react';

/** One tab. */
export interface SidePanel {
  id: string;
  title: string;
  Component: ComponentType;
}

/** Every side panel, in tab order. */
export const sidePanels: SidePanel[] = [];
