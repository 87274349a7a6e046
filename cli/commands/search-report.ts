/**
 * The end of `layerloom search`: exports the top trials, copies the found architecture to
 * `-o DIR`, looks it up in a NAS-Bench-201 table, and reports — the protocol's `done` line
 * with `--json` (nas/runner/search-events.ts), else text. Also the per-run text summary.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../engine/store/db.js';
import { meanStd } from '../../nas/runner/config.js';
import type { ExperimentResult } from '../../nas/runner/experiment.js';
import { exportTopTrials, type ExportedTrial } from '../../nas/runner/export-top.js';
import { nb201Lookup } from '../../nas/runner/one-shot-config.js';
import { encodeSearchLine, type SearchLine } from '../../nas/runner/search-events.js';
import type { SearchPlan } from './search-flags.js';

/** Writes one protocol line to stdout (validated; see search-events.ts). */
export function writeSearchLine(line: SearchLine): void {
  process.stdout.write(`${encodeSearchLine(line)}\n`);
}

/** Reports the finished runs of a search; resolves to the exit code (130 when cancelled). */
export async function reportSearch(db: Db, plan: SearchPlan, results: ExperimentResult[]): Promise<number> {
  const { json, exportTop, table } = plan;
  const done = results.filter((x) => x.best);
  const best = done.reduce<ExperimentResult | undefined>((b, x) => (!b || x.best!.objective > b.best!.objective ? x : b), undefined);
  const report = results[0]?.config.report ?? 'test';
  const { mean, std } = meanStd(done.map((x) => x.best!.report));
  const cancelled = results.some((x) => x.status === 'cancelled');
  let exported: ExportedTrial[] | undefined;
  if (exportTop !== undefined && !cancelled && best) {
    exported = await exportTopTrials({ db, experimentId: best.id, k: exportTop, dir: plan.out! });
    if (!json) for (const e of exported) process.stdout.write(`exported #${e.rank} trial ${e.trialId} (${e.arch}) -> ${e.file}\n`);
  }
  const pareto = best?.pareto;
  const found = best?.found;
  if (found && plan.out) {
    fs.mkdirSync(plan.out, { recursive: true });
    fs.copyFileSync(found.graph, path.join(plan.out, 'found.loom.json'));
    fs.cpSync(found.weights, path.join(plan.out, 'found'), { recursive: true });
    found.graph = path.join(plan.out, 'found.loom.json');
    found.weights = path.join(plan.out, 'found');
  }
  const lookup = found && table !== undefined && best.config.space === 'nb201' ? nb201Lookup(table, found.arch) : undefined;
  if (json) {
    writeSearchLine({
      event: 'done',
      status: cancelled ? 'cancelled' : 'completed',
      best: best
        ? {
            arch: best.best!.key,
            trialId: best.best!.trialId,
            experimentId: best.id,
            metrics: best.best!.metrics,
            ...(found && { graph: found.graph, weights: found.weights }),
            ...(lookup && { nb201: lookup }),
          }
        : null,
      ...(pareto && { pareto }),
      ...(exported && { exported: exported.map(({ rank, trialId, arch, file }) => ({ rank, trialId, arch, file })) }),
      summary: { field: report, mean, std, runs: done.length },
      experiments: results.map((x) => ({
        id: x.id,
        seed: x.config.seed,
        status: x.status,
        trials: x.trials,
        simulatedSeconds: x.simulatedSeconds,
        cacheHits: x.cacheHits ?? 0,
      })),
    });
  } else if (results.length > 1) {
    process.stdout.write(
      `${report} of the best-by-${results[0].config.objective.metric} architecture over ${done.length} runs: ${mean.toFixed(2)} ± ${std.toFixed(2)}\n`,
    );
  }
  if (found && !json) {
    process.stdout.write(
      `found ${found.arch}\n  graph ${found.graph}\n  weights ${found.weights} (layerloom export ${found.graph} --weights ${found.weights} -o found.onnx)\n`,
    );
    if (lookup) process.stdout.write(`  NAS-Bench-201 CIFAR-10 of this cell: valid ${lookup.valid}, test ${lookup.test}\n`);
  }
  if (cancelled && !json) process.stdout.write(`stopped; continue with: layerloom search resume ${results.at(-1)!.id}\n`);
  return cancelled ? 130 : 0;
}

/** One run's text summary. */
export function printRun(res: ExperimentResult): void {
  const { config: c, best } = res;
  // Tabular queries cost simulated seconds; the train evaluator's cost is real training time,
  // the supernet evaluator's the time scoring candidates with shared weights.
  const costLabel = c.evaluator.spec.startsWith('tabular:') ? 's simulated' : c.evaluator.spec === 'supernet' ? 's of scoring' : 's of training';
  const hits = res.cacheHits ? `, ${res.cacheHits} repeated architecture${res.cacheHits === 1 ? '' : 's'} answered from stored results` : '';
  const head = `experiment ${res.id} (${c.strategy.name}, seed ${c.seed}): ${res.status}, ${res.trials} trials${hits}, ${Math.round(res.simulatedSeconds)} ${costLabel}`;
  if (!best) return void process.stdout.write(`${head}; no successful trial\n`);
  process.stdout.write(
    `${head}\n  best ${c.objective.metric} ${best.objective.toFixed(2)} -> ${c.report} ${best.report.toFixed(2)}  trial ${best.trialId}  ${best.key}\n`,
  );
}
