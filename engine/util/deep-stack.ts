/**
 * Deep graphs and the V8 stack. tf.js builds a model's graph map recursively (tfjs-layers
 * `Container` → `buildMapOfGraph`, one frame chain per layer), so a chain deeper than the stack
 * fails with "Maximum call stack size exceeded" naming nothing. Measured with Node 20 on Linux:
 * the default stack (~984 kB) holds a chain of about 4,000 layers; `--stack-size=4000` (4 MB,
 * inside Linux's and macOS's 8 MB main-thread stack) holds 10,000 and fails at 20,000. The
 * `layerloom` launchers start Node with that flag; {@link deepGraphError} turns the overflow
 * into an error that states the limit.
 */
import { GraphError } from '../graph/errors.js';

/** The V8 flag the engine's processes run with (kB of stack). */
export const STACK_FLAG = '--stack-size=4000';

/** Layers in a chain the measured stacks hold. */
export const DEPTH_LIMITS = { defaultStack: 4_000, raisedStack: 10_000 } as const;

/** Node arguments for a child process of the engine: the raised stack, unless the parent's own flags set one. */
export function childExecArgv(): string[] {
  return process.execArgv.some((a) => a.startsWith('--stack-size')) ? process.execArgv.filter((a) => a.startsWith('--stack-size')) : [STACK_FLAG];
}

/** True when `e` is V8's stack overflow. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message);
}

/** The stack overflow of building a `nodes`-node graph as an error that states the depth limit. */
export function deepGraphError(nodes: number, lastNode: string): GraphError {
  const raised = process.execArgv.some((a) => a.startsWith('--stack-size'));
  const limit = raised ? DEPTH_LIMITS.raisedStack : DEPTH_LIMITS.defaultStack;
  return new GraphError(
    'too-deep',
    `node "${lastNode}": the graph (${nodes} nodes) is too deep for tf.js to build in this process: tf.js recurses once per layer, and this process's stack holds chains of about ${limit.toLocaleString('en-US')} layers (${raised ? 'raised' : "Node's default"} stack; the layerloom launchers use ${STACK_FLAG}, about ${DEPTH_LIMITS.raisedStack.toLocaleString('en-US')} layers): make the graph shallower${raised ? '' : ` or start Node with ${STACK_FLAG}`}`,
    { node: lastNode },
  );
}
