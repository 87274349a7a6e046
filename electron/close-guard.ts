/**
 * "Save changes before closing?" as a small state machine, free of Electron. The window's
 * close event asks `mayClose()`; when the document is dirty main shows the prompt built by
 * `unsavedChangesPrompt` and passes the answer to `answer()`. Saving is the renderer's job (it
 * owns the document), so "Save" sends it the save command and the window closes when the
 * renderer reports the document clean; a cancelled Save As keeps the window open.
 */
import type { MessageBoxOptions } from 'electron';

/** The three answers, in the prompt's button order. */
export const CLOSE_CHOICES = ['save', 'discard', 'cancel'] as const;
/** One answer of the prompt. */
export type CloseChoice = (typeof CLOSE_CHOICES)[number];

/** The prompt for `title` (the document's name). */
export function unsavedChangesPrompt(title: string): MessageBoxOptions {
  return {
    type: 'warning',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    title: 'Unsaved changes',
    message: `Save the changes to ${title} before closing?`,
    detail: 'Your changes will be lost if you don’t save them.',
  };
}

/** The answer for a button index; anything unexpected (Esc, a closed prompt) is Cancel. */
export function choiceOf(response: number): CloseChoice {
  return CLOSE_CHOICES[response] ?? 'cancel';
}

/** What main does after an answer or a document-state report. */
export type CloseAction = 'close' | 'save' | 'stay';

/** Tracks the document's state and the close that is waiting on it. */
export class CloseGuard {
  private dirty = false;
  private confirmed = false;
  private closeAfterSave = false;
  private prompting = false;

  /** The close event: true lets the window close, false means prevent it and ask. */
  mayClose(): boolean {
    return !this.dirty || this.confirmed;
  }

  /** Call before showing the prompt; false when one is already showing (do not show two). */
  beginPrompt(): boolean {
    if (this.prompting) return false;
    this.prompting = true;
    this.closeAfterSave = false;
    return true;
  }

  /** The user's answer: close now, ask the renderer to save, or keep the window. */
  answer(choice: CloseChoice): CloseAction {
    this.prompting = false;
    if (choice === 'discard') {
      this.confirmed = true;
      return 'close';
    }
    if (choice === 'save') {
      this.closeAfterSave = true;
      return 'save';
    }
    return 'stay';
  }

  /** The renderer reported its state; 'close' when a save it was asked for has finished. */
  documentState(dirty: boolean): CloseAction {
    this.dirty = dirty;
    if (!dirty && this.closeAfterSave) {
      this.closeAfterSave = false;
      return 'close';
    }
    return 'stay';
  }

  /** The Save As dialog of a save-before-close was cancelled: the window stays. */
  saveCancelled(): void {
    this.closeAfterSave = false;
  }

  /** True while a save-before-close is in flight (main treats the outcome of a save then). */
  get waitingForSave(): boolean {
    return this.closeAfterSave;
  }
}
