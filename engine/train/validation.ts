/** The validation half of an epoch: evaluates the held-out set and names its metrics `val*`. */
import type { Dataset } from '../data/types.js';
import type { EpochMetrics } from './events.js';
import type { Stepper } from './stepper.js';

/** Metrics a run reports, for checking a monitor before the first step. */
export function reportedMetrics(task: 'classification' | 'regression', validation: Dataset | null): string[] {
  const names = task === 'classification' ? ['loss', 'accuracy'] : ['loss', 'mse', 'mae'];
  if (validation) {
    names.push('valLoss');
    if (task === 'classification') names.push('valAccuracy', 'valPrecision', 'valRecall', 'valF1', 'valAuc');
    else names.push('valMse', 'valMae');
  }
  return names;
}

/** Evaluates `validation` on the stepper's current weights and adds the `val*` metrics to `metrics`. */
export async function addValidationMetrics(stepper: Stepper, validation: Dataset, batchSize: number, metrics: EpochMetrics): Promise<void> {
  const ev = await stepper.evaluate(validation, Math.max(256, batchSize));
  metrics.valLoss = ev.loss;
  if (ev.classification) {
    const c = ev.classification;
    Object.assign(metrics, { valAccuracy: c.accuracy, valPrecision: c.precision, valRecall: c.recall, valF1: c.f1 });
    if (c.auc !== undefined) metrics.valAuc = c.auc;
  }
  if (ev.regression) Object.assign(metrics, { valMse: ev.regression.mse, valMae: ev.regression.mae });
}
