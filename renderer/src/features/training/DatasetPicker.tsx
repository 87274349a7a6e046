/**
 * The dataset of the training settings: a built-in set (embedded digits, MNIST, synthetic)
 * or user files (IDX, CSV, NPY, an image folder) typed as paths, with a preview of a few
 * samples and the class balance. Errors name the file and the position in it.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Result } from '../../../../engine/server/protocol/index.js';
import type { EngineClient } from '../../engine/client.js';
import { useEngine } from '../../engine/engine-context.js';
import { Chart } from './Chart.js';
import { Row } from './fields.js';
import { SampleImage } from './SampleImage.js';
import { joinSpec, needsFiles, splitSpec } from './settings.js';

type Listing = Result<'datasets.list'>;
type Preview = Result<'datasets.preview'>;

const listings = new WeakMap<EngineClient, Promise<Listing>>();

function useListing(client: EngineClient): Listing | null {
  const [listing, setListing] = useState<Listing | null>(null);
  useEffect(() => {
    let p = listings.get(client);
    if (!p) {
      p = client.call('datasets.list', {});
      listings.set(client, p);
      p.catch(() => listings.delete(client));
    }
    let live = true;
    p.then((l) => live && setListing(l)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client]);
  return listing;
}

/** The dataset picker. */
export function DatasetPicker({
  spec,
  target,
  onChange,
}: {
  spec: string | undefined;
  target: string | undefined;
  onChange: (spec: string | undefined, target: string | undefined) => void;
}) {
  const client = useEngine();
  const listing = useListing(client);
  const { kind, body } = splitSpec(spec);
  const [files, setFiles] = useState(body);
  const [chosenKind, setChosenKind] = useState(kind);
  const [preview, setPreview] = useState<{ spec: string; result?: Preview; error?: string; loading?: boolean } | null>(null);
  useEffect(() => {
    setChosenKind(kind);
    setFiles(body);
  }, [kind, body]);

  const load = (s: string) => {
    setPreview({ spec: s, loading: true });
    client
      .call('datasets.preview', { spec: s, target, samples: 12 })
      .then((result) => setPreview((p) => (p?.spec === s ? { spec: s, result } : p)))
      .catch((e: Error) => setPreview((p) => (p?.spec === s ? { spec: s, error: e.message } : p)));
  };
  // Built-in sets preview as soon as they are chosen; files when asked.
  useEffect(() => {
    if (spec && !needsFiles(splitSpec(spec).kind)) load(spec);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [spec]);

  const fileKind = listing?.fileKinds.find((k) => k.kind === chosenKind);
  const choose = (k: string) => {
    setChosenKind(k);
    setPreview(null);
    if (!needsFiles(k)) onChange(k || undefined, undefined);
    else if (files.trim()) onChange(joinSpec(k, files), target);
  };
  return (
    <div className="dataset-picker">
      <Row label="Dataset">
        <select value={chosenKind} onChange={(e) => choose(e.target.value)} data-testid="train-dataset">
          {!chosenKind ? <option value="">choose…</option> : null}
          {(listing?.datasets ?? []).map((d) => (
            <option key={d.name} value={d.name} title={d.description}>
              {d.name}
            </option>
          ))}
          {(listing?.fileKinds ?? []).map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}…
            </option>
          ))}
          {chosenKind && listing && ![...listing.datasets.map((d) => d.name), ...listing.fileKinds.map((k) => k.kind)].includes(chosenKind) ? (
            <option value={chosenKind}>{chosenKind}</option>
          ) : null}
        </select>
      </Row>
      {fileKind ? (
        <>
          <Row label="Files" hint={fileKind.syntax}>
            <input
              type="text"
              value={files}
              placeholder={fileKind.syntax.slice(fileKind.kind.length + 1)}
              onChange={(e) => setFiles(e.target.value)}
              onBlur={() => files.trim() && onChange(joinSpec(chosenKind, files), target)}
              data-testid="train-dataset-files"
            />
            <span className="form-hint">paths on the engine's machine, comma separated</span>
          </Row>
          {chosenKind === 'csv' ? (
            <Row label="Target column">
              <input
                type="text"
                value={target ?? ''}
                placeholder="last column"
                onChange={(e) => onChange(spec, e.target.value || undefined)}
                data-testid="train-target"
              />
            </Row>
          ) : null}
          <button
            type="button"
            className="btn btn-small"
            disabled={!files.trim()}
            onClick={() => load(joinSpec(chosenKind, files))}
            data-testid="train-preview"
          >
            Preview
          </button>
        </>
      ) : null}
      {preview ? <DatasetPreview preview={preview} /> : null}
    </div>
  );
}

function DatasetPreview({ preview }: { preview: { result?: Preview; error?: string; loading?: boolean } }) {
  const r = preview.result;
  const balance = useMemo(() => (r ? ([r.classCounts.map((_, i) => i), r.classCounts] as [number[], number[]]) : null), [r]);
  if (preview.loading) return <p className="form-hint">loading preview…</p>;
  if (preview.error)
    return (
      <p className="field-error" data-testid="dataset-error">
        {preview.error}
      </p>
    );
  if (!r) return null;
  return (
    <div className="dataset-preview" data-testid="dataset-preview">
      <p className="form-hint">
        {r.count.toLocaleString('en-US')} samples{r.testCount !== null ? ` + ${r.testCount.toLocaleString('en-US')} test` : ''} · [{r.inputShape.join('×')}] ·{' '}
        {r.task}
        {r.numClasses !== null ? ` · ${r.numClasses} classes` : ''}
      </p>
      <div className="sample-grid">
        {r.samples.map((s) =>
          s.image ? (
            <figure key={s.index}>
              <SampleImage image={s.image} size={36} />
              <figcaption>{s.label}</figcaption>
            </figure>
          ) : (
            <div key={s.index} className="sample-row">
              <code>{s.values?.map((v) => +v.toPrecision(3)).join(', ')}</code> → {s.label}
            </div>
          ),
        )}
      </div>
      {balance && r.classCounts.length ? (
        <Chart
          testId="chart-class-balance"
          title="class balance"
          data={balance}
          series={[{ label: 'samples', color: '#2f6fdb', bars: true }]}
          xLabel={r.classNames ? 'class' : 'class id'}
          height={110}
        />
      ) : null}
      {r.attribution ? <p className="form-hint">{r.attribution}</p> : null}
    </div>
  );
}
