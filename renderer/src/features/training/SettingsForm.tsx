/**
 * The training settings of the document (its `training` section, saved with the file):
 * data, loss (the Output node's), optimizer, loop, learning-rate schedule, clipping, early
 * stopping, augmentation, seed. Every edit is one undoable Command; invalid values stay in
 * their field with the reason and are not stored.
 */
import { lossNames } from '../../../../engine/layers/output.js';
import type { TrainingConfig } from '../../../../engine/train/config.js';
import { setParam } from '../../store/commands/set-param.js';
import { useDocumentStore } from '../../store/document-store.js';
import { DatasetPicker } from './DatasetPicker.js';
import { CheckField, NumberField, SelectField } from './fields.js';
import { outputNode, patchTraining, setTrainingCommand, trainingOf } from './settings.js';
import type { BackendChoice } from './training-session.js';

type Schedule = TrainingConfig['lrSchedule'];
const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const;
const SCHEDULES: Schedule['type'][] = ['constant', 'step', 'exponential', 'cosine'];
const MONITORS = ['valLoss', 'valAccuracy', 'valF1', 'valAuc', 'valMse', 'valMae', 'loss'];
const FLIPS = ['none', 'horizontal', 'vertical', 'both'] as const;
const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'auto (the engine picks)' },
  { value: 'onnxruntime', label: 'onnxruntime (CPU)' },
  { value: 'webgpu', label: 'onnxruntime WebGPU (GPU)' },
  { value: 'tensorflow', label: 'tf.js native (tfjs-node)' },
  { value: 'wasm', label: 'tf.js wasm' },
  { value: 'cpu', label: 'tf.js cpu' },
];

/** Applies a patch to the document's training section; returns the problem when it is invalid. */
function update(patch: Partial<TrainingConfig>): string | null {
  const r = patchTraining(trainingOf(useDocumentStore.getState().doc), patch);
  if (!r.ok) return `${r.field}: ${r.message}`;
  useDocumentStore.getState().run(setTrainingCommand(r.training));
  return null;
}

/** The settings form. */
export function SettingsForm({ backend, onBackend }: { backend: BackendChoice; onBackend: (b: BackendChoice) => void }) {
  const doc = useDocumentStore((s) => s.doc);
  const t = trainingOf(doc);
  const out = outputNode(doc);
  const opt = t.optimizer;
  const setOpt = (p: Partial<TrainingConfig['optimizer']>) => update({ optimizer: { ...opt, ...p } });
  const sched = t.lrSchedule;
  const es = t.earlyStopping;
  const aug = t.augmentation;
  return (
    <div className="form train-settings" data-testid="train-settings">
      <div className="form-section">Data</div>
      <DatasetPicker spec={t.dataset} target={t.target} onChange={(dataset, target) => void update({ dataset, target })} />
      <NumberField
        label="Validation"
        value={t.validationSplit}
        min={0}
        step={0.05}
        hint="Fraction held out when the data has no test split"
        onCommit={(v) => update({ validationSplit: v })}
      />
      <NumberField label="Limit" value={t.limit} optional integer min={1} hint="Train on at most this many samples" onCommit={(v) => update({ limit: v })} />

      <div className="form-section">Loss and optimizer</div>
      {out ? (
        <SelectField
          label="Loss"
          value={String(out.params.loss ?? 'sparseCategoricalCrossentropy') as (typeof lossNames)[number]}
          options={lossNames}
          hint={`The loss of Output node "${out.id}"`}
          onChange={(v) => useDocumentStore.getState().run(setParam(out.id, 'loss', v))}
          testId="train-loss"
        />
      ) : (
        <p className="form-hint">Add an Output node to choose the loss.</p>
      )}
      <SelectField label="Optimizer" value={opt.name} options={OPTIMIZERS} onChange={(name) => setOpt({ name })} testId="train-optimizer" />
      <NumberField label="Learning rate" value={opt.learningRate} min={0} onCommit={(v) => setOpt({ learningRate: v })} testId="train-lr" />
      {opt.name === 'momentum' || opt.name === 'nesterov' || opt.name === 'rmsprop' ? (
        <NumberField label="Momentum" value={opt.momentum} min={0} onCommit={(v) => setOpt({ momentum: v })} />
      ) : null}
      {opt.name === 'rmsprop' ? <NumberField label="Rho" value={opt.rho} min={0} onCommit={(v) => setOpt({ rho: v })} /> : null}
      {opt.name === 'adam' || opt.name === 'adamw' ? (
        <>
          <NumberField label="Beta 1" value={opt.beta1} min={0} onCommit={(v) => setOpt({ beta1: v })} />
          <NumberField label="Beta 2" value={opt.beta2} min={0} onCommit={(v) => setOpt({ beta2: v })} />
        </>
      ) : null}
      {opt.name === 'adamw' ? <NumberField label="Weight decay" value={opt.weightDecay} min={0} onCommit={(v) => setOpt({ weightDecay: v })} /> : null}

      <div className="form-section">Loop</div>
      <NumberField label="Epochs" value={t.epochs} integer min={1} onCommit={(v) => update({ epochs: v })} testId="train-epochs" />
      <NumberField label="Batch size" value={t.batchSize} integer min={1} onCommit={(v) => update({ batchSize: v })} testId="train-batch" />
      <NumberField label="Seed" value={t.seed} integer onCommit={(v) => update({ seed: v })} testId="train-seed" />
      <SelectField
        label="Backend"
        value={backend}
        options={BACKENDS}
        onChange={onBackend}
        hint="Not saved in the file: where this machine trains"
        testId="train-backend"
      />

      <div className="form-section">Learning-rate schedule</div>
      <SelectField
        label="Schedule"
        value={sched.type}
        options={SCHEDULES}
        onChange={(type) => update({ lrSchedule: { type } as Schedule })}
        testId="train-schedule"
      />
      {sched.type === 'step' ? (
        <>
          <NumberField label="Every (epochs)" value={sched.stepEpochs} integer min={1} onCommit={(v) => update({ lrSchedule: { ...sched, stepEpochs: v! } })} />
          <NumberField label="Gamma" value={sched.gamma} min={0} onCommit={(v) => update({ lrSchedule: { ...sched, gamma: v! } })} />
        </>
      ) : null}
      {sched.type === 'exponential' ? (
        <NumberField label="Gamma" value={sched.gamma} min={0} onCommit={(v) => update({ lrSchedule: { ...sched, gamma: v! } })} />
      ) : null}
      {sched.type === 'cosine' ? (
        <NumberField label="Minimum LR" value={sched.minLearningRate} min={0} onCommit={(v) => update({ lrSchedule: { ...sched, minLearningRate: v! } })} />
      ) : null}
      <NumberField label="Warm-up epochs" value={t.warmupEpochs} min={0} onCommit={(v) => update({ warmupEpochs: v })} />

      <div className="form-section">Gradient clipping</div>
      <NumberField label="Clip norm" value={t.clipNorm} optional min={0} hint="Global-norm clipping; empty: off" onCommit={(v) => update({ clipNorm: v })} />
      <NumberField
        label="Clip value"
        value={t.clipValue}
        optional
        min={0}
        hint="Element-wise clipping; empty: off"
        onCommit={(v) => update({ clipValue: v })}
      />

      <div className="form-section">Early stopping</div>
      <CheckField
        label="Enabled"
        value={!!es}
        onChange={(on) => void update({ earlyStopping: on ? { monitor: 'valLoss', mode: 'auto', patience: 5, minDelta: 0, restoreBest: true } : undefined })}
        testId="train-early-stop"
      />
      {es ? (
        <>
          <SelectField
            label="Monitor"
            value={es.monitor}
            options={MONITORS.includes(es.monitor) ? MONITORS : [...MONITORS, es.monitor]}
            onChange={(monitor) => void update({ earlyStopping: { ...es, monitor } })}
          />
          <NumberField label="Patience" value={es.patience} integer min={0} onCommit={(v) => update({ earlyStopping: { ...es, patience: v! } })} />
          <NumberField label="Min delta" value={es.minDelta} min={0} onCommit={(v) => update({ earlyStopping: { ...es, minDelta: v! } })} />
          <CheckField label="Restore best" value={es.restoreBest} onChange={(restoreBest) => void update({ earlyStopping: { ...es, restoreBest } })} />
        </>
      ) : null}

      <div className="form-section">Augmentation (images)</div>
      <CheckField
        label="Enabled"
        value={!!aug}
        onChange={(on) => void update({ augmentation: on ? { flip: 'none', shift: 0.1, rotation: 0, noise: 0, brightness: 0 } : undefined })}
        testId="train-augment"
      />
      {aug ? (
        <>
          <SelectField label="Flip" value={aug.flip} options={FLIPS} onChange={(flip) => void update({ augmentation: { ...aug, flip } })} />
          <NumberField
            label="Shift"
            value={aug.shift}
            min={0}
            hint="Fraction of height / width"
            onCommit={(v) => update({ augmentation: { ...aug, shift: v! } })}
          />
          <NumberField label="Rotation°" value={aug.rotation} min={0} onCommit={(v) => update({ augmentation: { ...aug, rotation: v! } })} />
          <NumberField label="Noise std" value={aug.noise} min={0} onCommit={(v) => update({ augmentation: { ...aug, noise: v! } })} />
          <NumberField label="Brightness" value={aug.brightness} min={0} onCommit={(v) => update({ augmentation: { ...aug, brightness: v! } })} />
        </>
      ) : null}
    </div>
  );
}
