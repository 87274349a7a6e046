/** The modal dialog of the file commands (web mode), as a promise: `ask(spec)` resolves with the choice. */
import { create } from 'zustand';

/** A project file as listed by the engine. */
export interface ListedFile {
  name: string;
  size: number;
  modified: string;
}

/** What a dialog asks. Each resolves with a string (see `ask`) or null when cancelled. */
export type DialogSpec =
  /** Unsaved changes before `action`: resolves 'save', 'discard' or null. */
  | { kind: 'unsaved'; name: string; action: string }
  /** Pick a project file: resolves its name. */
  | { kind: 'open'; dir: string; files: ListedFile[] }
  /** Name the file to save: resolves a name ending .loom.json. */
  | { kind: 'save-as'; suggested: string; existing: string[] }
  /** Pick a template: resolves its id. */
  | { kind: 'templates'; templates: { id: string; name: string; description: string }[] }
  /** Unsaved work from an earlier session: resolves 'recover' or 'discard'. */
  | { kind: 'recover'; name: string; savedAt: number };

interface DialogState {
  current: { spec: DialogSpec; resolve: (v: string | null) => void } | null;
}

/** The store behind the dialog host. */
export const useDialogStore = create<DialogState>(() => ({ current: null }));

/** Shows a dialog (replacing any open one, which resolves null) and waits for the answer. */
export function ask(spec: DialogSpec): Promise<string | null> {
  useDialogStore.getState().current?.resolve(null);
  return new Promise((resolve) => {
    useDialogStore.setState({
      current: {
        spec,
        resolve: (v) => {
          if (useDialogStore.getState().current?.spec === spec) useDialogStore.setState({ current: null });
          resolve(v);
        },
      },
    });
  });
}
