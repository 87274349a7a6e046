/**
 * `layerloom search --space nb201 --strategy S --evaluator tabular:PATH …` and
 * `layerloom search resume EXPERIMENT_ID`: architecture search through nas/runner.
 * (The one place the engine imports nas/: the CLI is the product's front door.)
 */
import type { CliValues } from '../cli.js';
import { openDb } from '../store/db.js';
import { defaultDataDir } from '../store/data-dir.js';
import { meanStd, STRATEGY_NAMES, type ExperimentConfig, type StrategyName } from '../../nas/runner/config.js';
import { resumeExperiment, runExperiment, type ExperimentResult, type TrialEvent } from '../../nas/runner/experiment.js';
import { SPACES } from '../../nas/runner/registry.js';
import { intOption, UsageError } from './errors.js';

/** NAS-Bench-201's CIFAR-10 search budget, used when no budget flag is given. */
const DEFAULT_BUDGET_SECONDS = 12_000;

function numberOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} expects a number > 0, got "${v}"`);
  return n;
}

/** Builds the config of the first run from the flags (later runs differ only in seed). */
function configFromFlags(values: CliValues): ExperimentConfig {
  const space = values.space ?? 'nb201';
  if (!(space in SPACES)) throw new UsageError(`--space must be nb201 (the only space in this version), got "${space}"`);
  const strategy = values.strategy;
  if (!strategy) throw new UsageError(`search needs --strategy ${STRATEGY_NAMES.join('|')}`);
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}, got "${strategy}"`);
  }
  if (!values.evaluator) throw new UsageError('search needs --evaluator tabular:PATH');
  const trials = intOption('budget-trials', values['budget-trials']);
  let seconds = numberOption('budget-seconds', values['budget-seconds']);
  if (trials === undefined && seconds === undefined) seconds = DEFAULT_BUDGET_SECONDS;
  return {
    space,
    strategy: { name: strategy as StrategyName },
    evaluator: { spec: values.evaluator },
    objective: { metric: values.signal ?? 'valid' },
    report: values.report ?? 'test',
    budget: { ...(trials !== undefined && { trials }), ...(seconds !== undefined && { seconds }) },
    seed: intOption('seed', values.seed, 0) ?? 0,
  };
}

/** Runs the search command; resolves to the exit code. */
export async function searchCommand(args: string[], values: CliValues): Promise<number> {
  const resumeId = args[0] === 'resume' ? args[1] : undefined;
  if (args[0] === 'resume' && (args.length !== 2 || !resumeId)) throw new UsageError('usage: layerloom search resume EXPERIMENT_ID');
  if (!resumeId && args.length > 0) {
    throw new UsageError(
      `search spaces drawn in a graph file ("${args[0]}") are not supported yet; only --space nb201 is available in this version`,
    );
  }
  const config = resumeId ? undefined : configFromFlags(values);
  const runs = resumeId ? 1 : (intOption('runs', values.runs) ?? 1);
  if (resumeId && values.runs !== undefined) throw new UsageError('--runs does not apply to search resume');
  const json = values.json;
  const emit = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

  // First Ctrl+C stops after the current trial (the experiment stays resumable); a second exits.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    if (!json) process.stderr.write('\nstopping after this trial (Ctrl+C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  const db = openDb(values['data-dir'] ?? defaultDataDir());
  try {
    const results: ExperimentResult[] = [];
    for (let r = 0; r < runs && !controller.signal.aborted; r++) {
      const onTrial = (t: TrialEvent) => {
        if (!json) return;
        emit({
          event: 'trial',
          experimentId: t.experimentId,
          run: r,
          trialId: t.trialId,
          seq: t.seq,
          arch: t.key,
          status: t.status,
          objective: t.objective,
          parent: t.parent,
          changed: t.changed,
          costSeconds: t.costSeconds,
          simulatedSeconds: t.simulatedSeconds,
          bestTrialId: t.bestTrialId,
          metrics: t.metrics,
        });
      };
      const common = { db, signal: controller.signal, onTrial };
      const res = resumeId
        ? await resumeExperiment({ ...common, id: resumeId })
        : await runExperiment({ ...common, config: { ...config!, seed: config!.seed + r } });
      results.push(res);
      if (!json) printRun(res);
    }
    const done = results.filter((x) => x.best);
    const best = done.reduce<ExperimentResult | undefined>((b, x) => (!b || x.best!.objective > b.best!.objective ? x : b), undefined);
    const report = results[0]?.config.report ?? 'test';
    const { mean, std } = meanStd(done.map((x) => x.best!.report));
    const cancelled = results.some((x) => x.status === 'cancelled');
    if (json) {
      emit({
        event: 'done',
        status: cancelled ? 'cancelled' : 'completed',
        best: best ? { arch: best.best!.key, trialId: best.best!.trialId, experimentId: best.id, metrics: best.best!.metrics } : null,
        summary: { field: report, mean, std, runs: done.length },
        experiments: results.map((x) => ({ id: x.id, seed: x.config.seed, status: x.status, trials: x.trials, simulatedSeconds: x.simulatedSeconds })),
      });
    } else if (results.length > 1) {
      process.stdout.write(`${report} of the best-by-${results[0].config.objective.metric} architecture over ${done.length} runs: ${mean.toFixed(2)} ± ${std.toFixed(2)}\n`);
    }
    if (cancelled && !json) process.stdout.write(`stopped; continue with: layerloom search resume ${results.at(-1)!.id}\n`);
    return cancelled ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    db.close();
  }
}

function printRun(res: ExperimentResult): void {
  const { config: c, best } = res;
  const head = `experiment ${res.id} (${c.strategy.name}, seed ${c.seed}): ${res.status}, ${res.trials} trials, ${Math.round(res.simulatedSeconds)} s simulated`;
  if (!best) return void process.stdout.write(`${head}; no successful trial\n`);
  process.stdout.write(
    `${head}\n  best ${c.objective.metric} ${best.objective.toFixed(2)} -> ${c.report} ${best.report.toFixed(2)}  trial ${best.trialId}  ${best.key}\n`,
  );
}
