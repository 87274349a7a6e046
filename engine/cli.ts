/**
 * `layerloom` command line: parses the command and dispatches. Each command lives in
 * engine/cli/. Bad input ends with a one-line `error: …` on stderr and a non-zero exit code
 * (1 for bad input or failed work, 2 for usage errors).
 */
import { parseArgs } from 'node:util';
import { exportCommand } from './cli/export-command.js';
import { layersCommand } from './cli/layers-command.js';
import { runsCommand } from './cli/runs-command.js';
import { searchCommand } from './cli/search-command.js';
import { serveCommand } from './cli/serve-command.js';
import { trainCommand } from './cli/train-command.js';
import { validateCommand } from './cli/validate-command.js';
import { formatError, UsageError } from './cli/errors.js';

const usage = `usage: layerloom <command> [options]

commands:
  train FILE.loom.json   train a graph (see --help of train below)
  validate FILE.loom.json  check a graph and print shapes, parameters and FLOPs
  export FILE.loom.json  export trained weights to ONNX (or the tf.js format)
  runs                   list training runs
  layers                 list the layer kinds
  serve                  serve the designer and the engine protocol on 127.0.0.1 (see serve options)
  search                 architecture search over --space nb201 (see search options below)
  search SPACE.loom.json   architecture search over a drawn space, training each trial
  search … --evaluator supernet  weight-sharing search (SPOS, ENAS, DARTS) in one supernet
  search resume EXPERIMENT_ID  continue a stopped or killed search

serve options:
  --port N               port on 127.0.0.1 (default 0: a free one); the URL with the token is printed
  --host H               127.0.0.1 | ::1 | localhost (loopback only)
  --open                 open the URL in the default browser
  --allow-origin O       also accept WebSocket connections from origin O (repeatable)
  --projects-dir DIR     where web-mode projects are saved (default DATA_DIR/projects)
  --json                 print one {"event":"listening",…} line instead of the banner
  the token is LAYERLOOM_TOKEN when set, else random per launch

train options:
  --data SPEC            digits | mnist | spirals | shapes | sine |
                         idx:TRAIN_IMAGES,TRAIN_LABELS[,TEST_IMAGES,TEST_LABELS] |
                         csv:PATH (with --target COL) | npy:X.npy,Y.npy | images:DIR
  --target COL           CSV target column (name or index)
  --epochs N  --batch N  --limit N  --seed N
  --backend auto|onnxruntime|wasm|cpu|tensorflow
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

const options = {
  data: { type: 'string' },
  target: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  limit: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  run: { type: 'string' },
  weights: { type: 'string' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  opset: { type: 'string' },
  verify: { type: 'boolean', default: false },
  space: { type: 'string' },
  strategy: { type: 'string' },
  evaluator: { type: 'string' },
  signal: { type: 'string' },
  report: { type: 'string' },
  'budget-trials': { type: 'string' },
  'budget-seconds': { type: 'string' },
  objective: { type: 'string', multiple: true },
  constraint: { type: 'string', multiple: true },
  'export-top': { type: 'string' },
  runs: { type: 'string' },
  workers: { type: 'string' },
  'supernet-epochs': { type: 'string' },
  'supernet-lr': { type: 'string' },
  channels: { type: 'string' },
  cells: { type: 'string' },
  remedy: { type: 'string' },
  'nb201-table': { type: 'string' },
  'experiment-id': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  open: { type: 'boolean', default: false },
  'allow-origin': { type: 'string', multiple: true },
  'projects-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parsed CLI values shared by the commands. */
export type CliValues = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

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
      default:
        throw new UsageError(`unknown command "${command}"; commands: train, export, validate, runs, layers, search, serve`);
    }
  } catch (e) {
    process.stderr.write(`error: ${formatError(e)}\n`);
    return e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
