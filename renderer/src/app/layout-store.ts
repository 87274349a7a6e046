/**
 * The window's layout state: which side-panel tab is shown, which dashboard (if any) fills
 * the window, and which overlay (quick-add palette, shortcut sheet) is open. A store rather
 * than App state so actions (shortcuts, menus) can change it.
 */
import { create } from 'zustand';

/** The dashboards that can fill the window. */
export type DashboardId = 'training' | 'runs' | 'search';

/** True for a tab id that has a full-window dashboard. */
export function isDashboard(id: string): id is DashboardId {
  return id === 'training' || id === 'runs' || id === 'search';
}

/** Where the quick-add palette inserts: after the selected node, or at a canvas point. */
export interface QuickAddAt {
  /** Flow coordinates of a double-click, for a node added without a selection. */
  point?: { x: number; y: number };
}

interface LayoutState {
  tab: string;
  expanded: DashboardId | null;
  quickAdd: QuickAddAt | null;
  shortcutsOpen: boolean;
  setTab(tab: string): void;
  /** Fills the window with `id` (default: the shown tab's dashboard, else Training). */
  expand(id?: DashboardId): void;
  collapse(): void;
  openQuickAdd(at?: QuickAddAt): void;
  closeQuickAdd(): void;
  setShortcutsOpen(open: boolean): void;
}

/** The layout store. */
export const useLayoutStore = create<LayoutState>((set, get) => ({
  tab: 'inspector',
  expanded: null,
  quickAdd: null,
  shortcutsOpen: false,
  setTab: (tab) => set({ tab }),
  expand: (id) => {
    const tab = get().tab;
    const chosen = id ?? (isDashboard(tab) ? tab : 'training');
    set({ expanded: chosen, tab: chosen });
  },
  collapse: () => set({ expanded: null }),
  openQuickAdd: (at = {}) => set({ quickAdd: at }),
  closeQuickAdd: () => set({ quickAdd: null }),
  setShortcutsOpen: (open) => set({ shortcutsOpen: open }),
}));
