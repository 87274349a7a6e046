import { describe, expect, it } from 'vitest';
import { searchSettingsSchema } from '../../../../engine/server/protocol/search.js';
import { defaultForm, formToSettings, isWeightSharing, withStrategy } from './settings.js';

describe('search settings form', () => {
  it('turns the default form into settings the protocol accepts', () => {
    const r = formToSettings(defaultForm);
    expect(r).toEqual({
      ok: true,
      settings: { strategy: 'evolution', evaluator: 'train', epochs: 1, budgetTrials: 20, workers: 1, seed: 0, objectives: ['valAccuracy'] },
    });
    expect(searchSettingsSchema.safeParse(r.ok && r.settings).success).toBe(true);
  });

  it('carries every field of a small train search', () => {
    const r = formToSettings({
      ...defaultForm,
      data: ' digits ',
      epochs: '1',
      limit: '300',
      budgetTrials: '6',
      budgetSeconds: '90.5',
      workers: '2',
      seed: '3',
      objectives: 'valAccuracy, params:min',
      constraints: 'params<=100000, flops < 2M',
    });
    expect(r).toEqual({
      ok: true,
      settings: {
        strategy: 'evolution',
        evaluator: 'train',
        data: 'digits',
        epochs: 1,
        limit: 300,
        budgetTrials: 6,
        budgetSeconds: 90.5,
        workers: 2,
        seed: 3,
        objectives: ['valAccuracy', 'params:min'],
        constraints: ['params<=100000', 'flops < 2M'],
      },
    });
  });

  it('switches to the supernet evaluator for weight sharing and back to train after', () => {
    expect(isWeightSharing('darts')).toBe(true);
    expect(isWeightSharing('random')).toBe(false);
    const darts = withStrategy(defaultForm, 'darts');
    expect(darts.evaluator).toBe('supernet');
    const r = formToSettings({ ...darts, supernetEpochs: '5' });
    expect(r.ok && r.settings).toMatchObject({ strategy: 'darts', evaluator: 'supernet', supernetEpochs: 5 });
    expect(withStrategy(darts, 'random').evaluator).toBe('train');
    expect(withStrategy({ ...defaultForm, evaluator: 'tabular' }, 'reinforce').evaluator).toBe('tabular');
    // Supernet epochs are not sent for a train search.
    expect(formToSettings({ ...defaultForm, supernetEpochs: '7' })).not.toMatchObject({ settings: { supernetEpochs: 7 } });
  });

  it('builds the tabular evaluator spec from the file path', () => {
    expect(formToSettings({ ...defaultForm, evaluator: 'tabular', tabularPath: '/data/nb201.json' })).toMatchObject({
      ok: true,
      settings: { evaluator: 'tabular:/data/nb201.json' },
    });
    expect(formToSettings({ ...defaultForm, evaluator: 'tabular', tabularPath: ' ' })).toMatchObject({ ok: false, field: 'tabularPath' });
  });

  it('names the field of the first problem', () => {
    expect(formToSettings({ ...defaultForm, epochs: '1.5' })).toMatchObject({ ok: false, field: 'epochs' });
    expect(formToSettings({ ...defaultForm, seed: 'x' })).toMatchObject({ ok: false, field: 'seed' });
    expect(formToSettings({ ...defaultForm, objectives: 'valAccuracy:maximum' })).toMatchObject({ ok: false, field: 'objectives' });
    expect(formToSettings({ ...defaultForm, constraints: 'valAccuracy>0.9' })).toMatchObject({ ok: false, field: 'constraints' });
    // Ranges come from the protocol schema itself.
    expect(formToSettings({ ...defaultForm, workers: '0' })).toMatchObject({ ok: false, field: 'workers' });
    expect(formToSettings({ ...defaultForm, epochs: '' })).toMatchObject({ ok: true });
  });

  it('sends trials to a queue URL when "run on" says so, and asks for the URL', () => {
    const queued = formToSettings({ ...defaultForm, runOn: 'queue', queueUrl: ' redis://:pw@10.0.0.5:6379 ' });
    expect(queued).toMatchObject({ ok: true, settings: { queue: 'redis://:pw@10.0.0.5:6379' } });
    expect(formToSettings({ ...defaultForm, runOn: 'queue', queueUrl: '' })).toMatchObject({ ok: false, field: 'queueUrl' });
    expect(formToSettings({ ...defaultForm, runOn: 'queue', queueUrl: 'http://x' })).toMatchObject({ ok: false, field: 'queueUrl' });
    expect(formToSettings({ ...defaultForm, runOn: 'queue', queueUrl: 'rediss://h:6380' })).toMatchObject({ ok: true, settings: { queue: 'rediss://h:6380' } });
    // A URL typed and then switched back to this machine is not sent.
    expect(formToSettings({ ...defaultForm, runOn: 'local', queueUrl: 'redis://h:1' })).toMatchObject({ ok: true });
    expect((formToSettings({ ...defaultForm, runOn: 'local', queueUrl: 'redis://h:1' }) as { settings: object }).settings).not.toHaveProperty('queue');
  });
});
