/**
 * Whether a dashboard is drawn with the whole window (charts fill resizable grid cells) or in
 * the side panel (charts at a fixed height). Charts read it to size themselves.
 */
import { createContext, useContext } from 'react';

const Room = createContext(false);

/** Provider: true inside a full-window dashboard. */
export const DashboardRoomProvider = Room.Provider;

/** True when the component is drawn in a full-window dashboard. */
export function useFullRoom(): boolean {
  return useContext(Room);
}
