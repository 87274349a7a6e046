/**
 * `layerloom search --space nb201 --strategy S --evaluator tabular:PATH …`,
 * `layerloom search SPACE.loom.json --strategy S --evaluator train …` (a drawn space, trials
 * trained for real; `--export-top K -o DIR` exports the best),
 * `layerloom search [SPACE.loom.json | --space nb201] --strategy spos|enas|darts --evaluator
 * supernet …` (weight sharing: one supernet trained, candidates scored inside it) and
 * `layerloom search resume EXPERIMENT_ID`: architecture search through nas/runner.
 * (cli/ is the composition root above engine/ and nas/: the product's front door.)
 *
 * Three parts: flags → plan (search-flags.ts, pure), running the experiments (here, with
 * `--json` progress lines of the typed protocol nas/runner/search-events.ts), and the report
 * (search-report.ts).
 */
import type { CliValues } from '../options.js';
import { openDb } from '../../engine/store/db.js';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { resumeExperiment, runExperiment, type CacheHitEvent, type ExperimentResult, type TrialEvent } from '../../nas/runner/experiment.js';
import type { SupernetEvent } from '../../nas/runner/one-shot.js';
import { searchPlanFromFlags } from './search-flags.js';
import { printRun, reportSearch, writeSearchLine } from './search-report.js';

/** Runs the search command; resolves to the exit code. */
export async function searchCommand(args: string[], values: CliValues): Promise<number> {
  const plan = await searchPlanFromFlags(args, values);
  const { resumeId, config, json } = plan;

  // First Ctrl+C stops the search (sequential: after the current trial; parallel: at once,
  // with in-flight trials kept for `search resume`); a second exits.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    if (!json) process.stderr.write('\nstopping; the experiment can be resumed with `layerloom search resume` (Ctrl+C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  const db = openDb(values['data-dir'] ?? defaultDataDir());
  try {
    const results: ExperimentResult[] = [];
    for (let r = 0; r < plan.runs && !controller.signal.aborted; r++) {
      const onTrial = (t: TrialEvent) => {
        if (!json) return;
        writeSearchLine({
          event: 'trial',
          experimentId: t.experimentId,
          run: r,
          trialId: t.trialId,
          seq: t.seq,
          arch: t.key,
          status: t.status,
          ...(t.error !== null && { error: t.error }),
          objective: t.objective,
          parent: t.parent,
          changed: t.changed,
          costSeconds: t.costSeconds,
          simulatedSeconds: t.simulatedSeconds,
          bestTrialId: t.bestTrialId,
          metrics: t.metrics,
          ...(t.worker !== undefined && { worker: t.worker }),
        });
      };
      const onSupernet = (e: SupernetEvent) => {
        if (json) return writeSearchLine(e);
        if (e.event !== 'supernet-epoch') return;
        const m = Object.entries(e.metrics)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ');
        process.stdout.write(
          `supernet epoch ${e.epoch}/${e.epochs} (${e.strategy}, ${e.seconds.toFixed(1)} s): ${m}${e.derived ? `  now ${e.derived}` : ''}\n`,
        );
      };
      const onCacheHit = (e: CacheHitEvent) => {
        if (json) writeSearchLine({ event: 'cache-hit', ...e, arch: e.key });
      };
      const common = {
        db,
        signal: controller.signal,
        onTrial,
        onSupernet,
        onCacheHit,
        ...(plan.workersFlag !== undefined && { workers: plan.workersFlag }),
        ...(plan.queue !== undefined && { queue: plan.queue }),
      };
      const res = resumeId
        ? await resumeExperiment({ ...common, id: resumeId })
        : await runExperiment({ ...common, config: { ...config!, seed: config!.seed + r }, ...(r === 0 && plan.experimentId && { id: plan.experimentId }) });
      results.push(res);
      if (!json) printRun(res);
    }
    return await reportSearch(db, plan, results);
  } finally {
    process.off('SIGINT', onSigint);
    db.close();
  }
}
