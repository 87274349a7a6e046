/**
 * `layerloom` command line: parses the command and dispatches. Each command lives in
 * cli/commands/; cli/ is the composition root, the one place that imports both engine/ and nas/. Bad input ends with a one-line `error: …` on stderr and a non-zero exit code
 * (1 for bad input or failed work, 2 for usage errors).
 */
import { parseArgs } from 'node:util';
import { exportCommand } from './commands/export-command.js';
import { quantizeCommand } from './commands/quantize-command.js';
import { layersCommand } from './commands/layers-command.js';
import { runsCommand } from './commands/runs-command.js';
import { searchCommand } from './commands/search-command.js';
import { serveCommand } from './commands/serve-command.js';
import { trainCommand } from './commands/train-command.js';
import { validateCommand } from './commands/validate-command.js';
import { workerCommand } from './commands/worker-command.js';
import { formatError, UsageError } from './commands/errors.js';
import { options } from './options.js';

export type { CliValues } from './options.js';

const usage = `usage: layerloom <command> [options]

commands:
  train FILE.loom.json   train a graph (see --help of train below)
  validate FILE.loom.json  check a graph and print shapes, parameters and FLOPs
  export FILE.loom.json  export trained weights to ONNX (or the tf.js format)
  quantize MODEL.onnx    int8 quantization of an exported model, measured (see quantize options)
  runs                   list training runs
  layers                 list the layer kinds
  serve                  serve the designer and the engine protocol on 127.0.0.1 (see serve options)
  search                 architecture search over --space nb201 (see search options below)
  search SPACE.loom.json   architecture search over a drawn space, training each trial
  search … --evaluator supernet  weight-sharing search (SPOS, ENAS, DARTS) in one supernet
  search resume EXPERIMENT_ID  continue a stopped or killed search
  worker --queue URL     run search trials from a Redis queue (see worker options)

serve options:
  --port N               port on 127.0.0.1 (default 0: a free one); the URL with the token is printed
  --host H               127.0.0.1 | ::1 | localhost (loopback only)
  --open                 open the URL in the default browser
  --allow-origin O       also accept WebSocket connections from origin O (repeatable)
  --allow-dir DIR        let the designer read datasets from and export to DIR (repeatable;
                         besides the data folder, nothing else is granted, not even your home)
  --projects-dir DIR     where web-mode projects are saved (default DATA_DIR/projects)
  --json                 print one {"event":"listening",…} line instead of the banner
  the token is LAYERLOOM_TOKEN when set, else random per launch

train options:
  --data SPEC            digits | mnist | spirals | shapes | sine |
                         idx:TRAIN_IMAGES,TRAIN_LABELS[,TEST_IMAGES,TEST_LABELS] |
                         csv:PATH (with --target COL) | npy:X.npy,Y.npy | images:DIR
  --target COL           CSV target column (name or index)
  --epochs N  --batch N  --limit N  --seed N
  --backend auto|onnxruntime|webgpu|wasm|cpu|tensorflow
  --threads N            onnxruntime threads (default: the document's training.threads, else
                         every available core)
  --resume RUN_ID        continue a run from its last checkpoint
  --json                 one JSON event per line instead of a progress bar
  --data-dir DIR         where runs and checkpoints live (default: the app-data folder)

export options:
  --run RUN_ID | --weights DIR   weights from a run, or from a checkpoint / tf.js folder
  -o, --out OUT          the .onnx file (or a folder with --format tfjs)
  --format onnx|tfjs     default onnx
  --opset N              13..21, default 17
  --verify               compare onnxruntime-node with tf.js; fail above tolerance
  --json                 one JSON line with the result

quantize options:
  --calibrate SPEC       data to calibrate on (training part) and measure with (validation part)
  -o, --out OUT.onnx     the quantized model (--overwrite to replace an existing file)
  --method minmax|percentile  activation ranges (default percentile: 0.01%-99.99%)
  --dynamic              int8 weights, activations quantized at run time (Dense-heavy models)
  --batches N  --batch N calibration batches and their size (default 8 × 64)
  --limit N  --seed N  --target COL  --json

search options:
  --space nb201          the search space (the only one in this version)
  --strategy random|evolution|reinforce|local|bayesopt|asha
  --evaluator tabular:PATH       look trials up in a NAS-Bench-201-format table
  --workers N            simulate N asynchronous workers (results in simulated-time order)
  --signal FIELD         field the strategy maximises (default valid)
  --report FIELD         field reported for the best architecture (default test)
  --budget-trials N  --budget-seconds S  simulated budget (default 12000 s; seconds need
                         the table's train_time/eval_time, trials do not)
  --runs R               repeat with seeds seed..seed+R-1; print mean ± std of --report
  --seed N  --json  --data-dir DIR

drawn-space search options (search SPACE.loom.json):
  --evaluator train      train each candidate (default); --data/--epochs/--limit/--batch/--backend
                         set its budget (unset: the document's training section)
  --objective M[,M2]     e.g. valAccuracy,params (M:max / M:min when unclear); the first one
                         is optimised, several report a Pareto front (default valAccuracy)
  --constraint C         static bound, e.g. params<=100000 or flops<2e6 (repeatable);
                         violators are skipped, not trained, not counted
  --budget-trials N  --budget-seconds S  real seconds here (default 20 trials)
  --export-top K -o DIR  retrain the K best and write DIR/<rank>-<trial>.onnx
  --experiment-id ID     name the new experiment (the designer's server does; default: generated)
  --workers N            trials trained at once, each in its own process (default: CPU
                         cores; 1 = sequential and reproducible). Also for search resume
  --threads N            onnxruntime threads per trial (default: the cores split between the
                         workers; workers × threads may not exceed the cores)
  --queue URL            send trials to the queue at redis://[:PASSWORD@]HOST:PORT[/DB]
                         (rediss:// for TLS) instead of local processes; --workers N is then
                         the number of trials in flight (default 4). Also for search resume.
                         LAYERLOOM_QUEUE=URL does the same and keeps a password out of ps

worker options (layerloom worker --queue URL, or LAYERLOOM_QUEUE=URL layerloom worker):
  --concurrency N        trials run at once, each in its own process (default 1)
  --threads N            onnxruntime threads per trial (default: the cores ÷ --concurrency)
  --data-dir DIR         where relative dataset paths of trials resolve (default: here)
  --stall-seconds S      a trial whose worker stops answering for S s goes back to the queue,
                         once; a second loss fails it (default 30)
  --json                 one {"event":"trial-done",…} line per finished trial
  SIGTERM / Ctrl+C: finish the trials in hand and stop; a second one stops at once

weight-sharing search options (--space nb201 or SPACE.loom.json, --evaluator supernet):
  --strategy spos|enas|darts   SPOS (uniform single paths, then evolution), ENAS (REINFORCE
                         controller), DARTS (continuous relaxation, argmax)
  --supernet-epochs N    epochs of supernet training (default 10); a checkpoint per epoch
  --supernet-lr LR       initial learning rate of the shared weights (SGD momentum 0.9,
                         cosine; default 0.1)
  --data SPEC  --limit N  --batch N  --seed N   search data (split in halves: weights / scoring)
  --budget-trials N      candidates scored with the shared weights (spos 50, enas 10, darts 1)
  --channels N  --cells N  the nb201 skeleton: channels (16) and cells per stage (1)
  --remedy R             collapse remedy of darts (dropout|darts-|none) and enas (dropout|none);
                         default dropout: operation-level dropout on parameter-free ops (P-DARTS)
  --nb201-table PATH     report the found cell's NAS-Bench-201 CIFAR-10 accuracy
  -o DIR                 also copy the found graph (found.loom.json) and its weights (found/)
  --json adds {"event":"supernet-epoch",…} and {"event":"probabilities",…} lines
`;

/** Runs the CLI with `argv` (no node/script prefix); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      process.stdout.write(usage);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'train':
        return await trainCommand(rest, values);
      case 'export':
        return await exportCommand(rest, values);
      case 'quantize':
        return await quantizeCommand(rest, values);
      case 'validate':
        return await validateCommand(rest, values);
      case 'runs':
        return await runsCommand(values);
      case 'layers':
        return layersCommand(values);
      case 'search':
        return await searchCommand(rest, values);
      case 'serve':
        return await serveCommand(rest, values);
      case 'worker':
        return await workerCommand(rest, values);
      default:
        throw new UsageError(`unknown command "${command}"; commands: train, export, quantize, validate, runs, layers, search, serve, worker`);
    }
  } catch (e) {
    process.stderr.write(`error: ${formatError(e)}\n`);
    // For bug reports: the whole stack, causes included.
    if (process.env.LAYERLOOM_DEBUG_STACK) process.stderr.write(`${(e as Error).stack}\n${((e as Error).cause as Error | undefined)?.stack ?? ''}\n`);
    return e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
