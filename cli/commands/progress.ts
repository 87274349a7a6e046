/**
 * Human progress output for `layerloom train`: a one-line bar redrawn in place on a
 * terminal, and one line per epoch (which is all a log file or pipe gets).
 */
import type { TrainEvent } from '../../engine/train/events.js';

function fmtEta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

function fmtMetrics(m: Record<string, number | undefined>): string {
  return Object.entries(m)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${Math.abs(v!) >= 100 ? v!.toFixed(1) : v!.toFixed(4)}`)
    .join('  ');
}

/** Renders events to a stream. */
export class ProgressPrinter {
  private epochs = 0;
  private steps = 0;
  private barShown = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  private clearBar(): void {
    if (this.barShown) {
      this.out.write('\r\x1b[K');
      this.barShown = false;
    }
  }

  /** Handles one event. */
  handle(e: TrainEvent & { runId: string }): void {
    switch (e.event) {
      case 'start':
        this.epochs = e.epochs;
        this.steps = e.stepsPerEpoch;
        this.out.write(
          `run ${e.runId}: ${e.trainCount} training / ${e.valCount} validation samples, ${e.params} parameters, epochs ${e.startEpoch}..${e.epochs}\n`,
        );
        break;
      case 'batch': {
        if (!this.out.isTTY) break;
        const width = 24;
        const done = Math.round((e.batch / Math.max(1, this.steps)) * width);
        const bar = `${'█'.repeat(done)}${'░'.repeat(width - done)}`;
        this.out.write(
          `\r\x1b[Kepoch ${e.epoch}/${this.epochs} ${bar} ${e.batch}/${this.steps}  loss ${e.loss.toFixed(4)}  ${Math.round(e.samplesPerSec)} samples/s  eta ${fmtEta(e.etaSeconds)}`,
        );
        this.barShown = true;
        break;
      }
      case 'epoch':
        this.clearBar();
        this.out.write(
          `epoch ${e.epoch}/${this.epochs}  ${fmtMetrics(e.metrics)}  (${(e.durationMs / 1000).toFixed(1)}s, ${Math.round(e.samplesPerSec)} samples/s)\n`,
        );
        break;
      case 'early-stop':
        this.clearBar();
        this.out.write(`early stop after epoch ${e.epoch}: ${e.monitor} best ${e.best.toFixed(4)} at epoch ${e.bestEpoch}\n`);
        break;
      case 'done':
        this.clearBar();
        this.out.write(`${e.status}: ${e.metrics ? fmtMetrics(e.metrics) : 'no epoch finished'}\n`);
        break;
      case 'checkpoint':
        break;
    }
  }
}
