/** The modal dialogs of the file commands: unsaved changes, open, save as, templates, recovery. */
import { useEffect, useState, type ReactNode } from 'react';
import { useDialogStore, type DialogSpec, type ListedFile } from './dialog-store.js';
import { projectNameProblem, withLoomSuffix } from './document-io.js';

type Done = (v: string | null) => void;

function Modal({
  title,
  children,
  actions,
  onCancel,
  testId,
}: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onCancel: () => void;
  testId: string;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">{actions}</div>
      </div>
    </div>
  );
}

function CancelButton({ done, testId }: { done: Done; testId?: string }) {
  return (
    <button className="btn" onClick={() => done(null)} data-testid={testId}>
      Cancel
    </button>
  );
}

function when(iso: string | number): string {
  return new Date(iso).toLocaleString();
}

function Unsaved({ spec, done }: { spec: Extract<DialogSpec, { kind: 'unsaved' }>; done: Done }) {
  return (
    <Modal
      title="Unsaved changes"
      testId="dialog-unsaved"
      onCancel={() => done(null)}
      actions={
        <>
          <CancelButton done={done} testId="unsaved-cancel" />
          <button className="btn btn-danger" onClick={() => done('discard')} data-testid="unsaved-discard">
            Discard changes
          </button>
          <button className="btn btn-primary" autoFocus onClick={() => done('save')} data-testid="unsaved-save">
            Save
          </button>
        </>
      }
    >
      <p>
        “{spec.name}” has changes that are not saved. Save them before {spec.action}?
      </p>
    </Modal>
  );
}

function FileList({
  files,
  chosen,
  onChoose,
  onOpen,
}: {
  files: ListedFile[];
  chosen: string | null;
  onChoose: (n: string) => void;
  onOpen?: (n: string) => void;
}) {
  return (
    <ul className="file-list" role="listbox">
      {files.map((f) => (
        <li
          key={f.name}
          role="option"
          aria-selected={chosen === f.name}
          className={chosen === f.name ? 'chosen' : undefined}
          onClick={() => onChoose(f.name)}
          onDoubleClick={() => onOpen?.(f.name)}
          data-testid={`file-${f.name}`}
        >
          <span>{f.name}</span>
          <span className="muted">
            {when(f.modified)} · {(f.size / 1024).toFixed(1)} KB
          </span>
        </li>
      ))}
    </ul>
  );
}

function Open({ spec, done }: { spec: Extract<DialogSpec, { kind: 'open' }>; done: Done }) {
  const [chosen, setChosen] = useState<string | null>(spec.files[0]?.name ?? null);
  return (
    <Modal
      title="Open"
      testId="dialog-open"
      onCancel={() => done(null)}
      actions={
        <>
          <CancelButton done={done} />
          <button className="btn btn-primary" disabled={!chosen} onClick={() => done(chosen)} data-testid="open-confirm">
            Open
          </button>
        </>
      }
    >
      <p className="muted">Projects in {spec.dir}</p>
      {spec.files.length ? <FileList files={spec.files} chosen={chosen} onChoose={setChosen} onOpen={done} /> : <p>No projects saved yet.</p>}
    </Modal>
  );
}

function SaveAs({ spec, done }: { spec: Extract<DialogSpec, { kind: 'save-as' }>; done: Done }) {
  const [name, setName] = useState(spec.suggested);
  const full = withLoomSuffix(name);
  const problem = name.trim() ? projectNameProblem(full) : 'enter a name';
  const replaces = spec.existing.includes(full);
  const submit = () => {
    if (!problem) done(full);
  };
  return (
    <Modal
      title="Save As"
      testId="dialog-save-as"
      onCancel={() => done(null)}
      actions={
        <>
          <CancelButton done={done} />
          <button className="btn btn-primary" disabled={!!problem} onClick={submit} data-testid="save-as-confirm">
            {replaces ? 'Replace' : 'Save'}
          </button>
        </>
      }
    >
      <label className="form-row">
        <span className="form-label">File name</span>
        <span className="form-input">
          <input
            type="text"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && submit()}
            data-testid="save-as-name"
          />
          <span className={problem ? 'field-error' : 'form-hint'}>{problem ?? (replaces ? `replaces ${full}` : `saves as ${full}`)}</span>
        </span>
      </label>
    </Modal>
  );
}

function Templates({ spec, done }: { spec: Extract<DialogSpec, { kind: 'templates' }>; done: Done }) {
  return (
    <Modal title="Templates" testId="dialog-templates" onCancel={() => done(null)} actions={<CancelButton done={done} />}>
      <ul className="template-list">
        {spec.templates.map((t) => (
          <li key={t.id}>
            <button className="template" onClick={() => done(t.id)} data-testid={`template-${t.id}`}>
              <strong>{t.name}</strong>
              <span className="muted">{t.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

function Recover({ spec, done }: { spec: Extract<DialogSpec, { kind: 'recover' }>; done: Done }) {
  return (
    <Modal
      title="Recover unsaved work"
      testId="dialog-recover"
      onCancel={() => done('discard')}
      actions={
        <>
          <button className="btn" onClick={() => done('discard')} data-testid="recover-discard">
            Discard
          </button>
          <button className="btn btn-primary" autoFocus onClick={() => done('recover')} data-testid="recover-accept">
            Recover
          </button>
        </>
      }
    >
      <p>
        The last session ended with unsaved changes to “{spec.name || 'untitled'}” (autosaved {when(spec.savedAt)}). Recover them?
      </p>
    </Modal>
  );
}

/** Renders the open dialog, if any. */
export function DialogHost() {
  const current = useDialogStore((s) => s.current);
  if (!current) return null;
  const { spec, resolve } = current;
  switch (spec.kind) {
    case 'unsaved':
      return <Unsaved spec={spec} done={resolve} />;
    case 'open':
      return <Open spec={spec} done={resolve} />;
    case 'save-as':
      return <SaveAs spec={spec} done={resolve} />;
    case 'templates':
      return <Templates spec={spec} done={resolve} />;
    case 'recover':
      return <Recover spec={spec} done={resolve} />;
  }
}
