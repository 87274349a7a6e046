import { describe, expect, it } from 'vitest';
import { choiceOf, CloseGuard, unsavedChangesPrompt } from './close-guard.js';

describe('CloseGuard', () => {
  it('lets a clean document close without asking', () => {
    const guard = new CloseGuard();
    expect(guard.mayClose()).toBe(true);
    guard.documentState(false);
    expect(guard.mayClose()).toBe(true);
  });

  it("asks for a dirty document; Don't Save closes", () => {
    const guard = new CloseGuard();
    guard.documentState(true);
    expect(guard.mayClose()).toBe(false);
    expect(guard.beginPrompt()).toBe(true);
    expect(guard.answer('discard')).toBe('close');
    expect(guard.mayClose()).toBe(true);
  });

  it('Cancel keeps the window and asks again next time', () => {
    const guard = new CloseGuard();
    guard.documentState(true);
    guard.beginPrompt();
    expect(guard.answer('cancel')).toBe('stay');
    expect(guard.mayClose()).toBe(false);
    expect(guard.beginPrompt()).toBe(true);
  });

  it('Save asks the renderer to save and closes once it reports the document clean', () => {
    const guard = new CloseGuard();
    guard.documentState(true);
    guard.beginPrompt();
    expect(guard.answer('save')).toBe('save');
    expect(guard.waitingForSave).toBe(true);
    expect(guard.documentState(true)).toBe('stay');
    expect(guard.documentState(false)).toBe('close');
    expect(guard.mayClose()).toBe(true);
  });

  it('a cancelled Save As keeps the window open and later edits do not close it', () => {
    const guard = new CloseGuard();
    guard.documentState(true);
    guard.beginPrompt();
    guard.answer('save');
    guard.saveCancelled();
    expect(guard.waitingForSave).toBe(false);
    expect(guard.mayClose()).toBe(false);
    // A later ordinary save (not a close) must not close the window.
    expect(guard.documentState(false)).toBe('stay');
  });

  it('shows one prompt at a time', () => {
    const guard = new CloseGuard();
    guard.documentState(true);
    expect(guard.beginPrompt()).toBe(true);
    expect(guard.beginPrompt()).toBe(false);
    guard.answer('cancel');
    expect(guard.beginPrompt()).toBe(true);
  });
});

describe('the unsaved-changes prompt', () => {
  it('offers Save, Don’t Save and Cancel, with Save the default and Cancel on Esc', () => {
    const prompt = unsavedChangesPrompt('mlp-digits');
    expect(prompt.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(prompt.buttons?.[prompt.defaultId ?? -1]).toBe('Save');
    expect(prompt.buttons?.[prompt.cancelId ?? -1]).toBe('Cancel');
    expect(prompt.message).toContain('mlp-digits');
    expect([0, 1, 2, 7].map(choiceOf)).toEqual(['save', 'discard', 'cancel', 'cancel']);
  });
});
