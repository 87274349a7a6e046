/** `layerloom export FILE --run RUN_ID|--weights DIR -o OUT [--format onnx|tfjs] [--opset N] [--verify] [--json]`. */
import type { CliValues } from '../options.js';
import { runExportJob } from '../../engine/jobs/export-job.js';
import { SUPPORTED_OPSETS } from '../../engine/onnx/export.js';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { intOption, UsageError } from './errors.js';
import { readGraphFile } from './validate-command.js';

/** Runs the export command; resolves to the exit code. */
export async function exportCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length !== 1) throw new UsageError('export takes one FILE.loom.json');
  if (!values.out) throw new UsageError('export needs -o OUT (a .onnx file, or a folder with --format tfjs)');
  const format = (values.format ?? 'onnx') as 'onnx' | 'tfjs';
  if (format !== 'onnx' && format !== 'tfjs') throw new UsageError(`--format must be onnx or tfjs, got "${values.format}"`);
  const opset = intOption('opset', values.opset);
  if (opset !== undefined && !(SUPPORTED_OPSETS as readonly number[]).includes(opset)) {
    throw new UsageError(`--opset must be one of ${SUPPORTED_OPSETS.join(', ')}, got ${opset}`);
  }
  if (values.verify && format !== 'onnx') throw new UsageError('--verify checks ONNX exports only');
  const file = args[0];
  let result;
  try {
    result = await runExportJob({
      text: readGraphFile(file),
      run: values.run,
      weights: values.weights,
      out: values.out,
      format,
      opset,
      verify: values.verify,
      dataDir: values['data-dir'] ?? defaultDataDir(),
    });
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const v = result.verify;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ event: 'exported', ...result, written: !v || v.passed })}\n`);
  } else {
    if (v) {
      process.stdout.write(
        `verify (${v.inputs} inputs): max abs diff ${v.maxAbsDiff.toExponential(2)} (tolerance ${v.tolerance}), argmax agreement ${(v.argmaxAgreement * 100).toFixed(1)}%\n`,
      );
    }
    if (!v || v.passed) process.stdout.write(`wrote ${result.out} (${format}, ${result.bytes} bytes)\n`);
  }
  if (v && !v.passed) {
    process.stderr.write(`error: ${file}: verification failed: max abs diff ${v.maxAbsDiff} exceeds ${v.tolerance}; nothing written\n`);
    return 1;
  }
  return 0;
}
