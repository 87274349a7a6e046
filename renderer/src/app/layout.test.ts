import { beforeEach, describe, expect, it } from 'vitest';
import { dashboardOfUrl } from './DashboardWindow.js';
import { escape } from './keyboard-actions.js';
import { useLayoutStore } from './layout-store.js';

describe('full-window dashboards', () => {
  beforeEach(() => useLayoutStore.setState({ tab: 'inspector', expanded: null, shortcutsOpen: false, quickAdd: null }));

  it('expands the shown tab’s dashboard, else Training, and Escape collapses', () => {
    useLayoutStore.getState().expand();
    expect(useLayoutStore.getState().expanded).toBe('training');
    useLayoutStore.getState().setTab('search');
    useLayoutStore.getState().expand();
    expect(useLayoutStore.getState()).toMatchObject({ expanded: 'search', tab: 'search' });
    escape();
    expect(useLayoutStore.getState().expanded).toBeNull();
  });

  it('Escape closes the shortcut sheet before the dashboard', () => {
    useLayoutStore.getState().expand('runs');
    useLayoutStore.getState().setShortcutsOpen(true);
    escape();
    expect(useLayoutStore.getState()).toMatchObject({ shortcutsOpen: false, expanded: 'runs' });
  });

  it('reads a dashboard window’s URL', () => {
    expect(dashboardOfUrl('?token=t&dashboard=runs&project=lenet-mnist')).toEqual({ dashboard: 'runs', project: 'lenet-mnist' });
    expect(dashboardOfUrl('?dashboard=training')).toEqual({ dashboard: 'training', project: 'untitled' });
    expect(dashboardOfUrl('?token=t')).toBeNull();
    expect(dashboardOfUrl('?dashboard=settings&project=x')).toBeNull();
  });
});
