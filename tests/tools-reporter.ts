/**
 * Vitest reporter that ends the run with what it could not check: every test tagged with
 * `needs(...)` (tests/tools.ts) whose tool is missing is counted per tool, and one notice line
 * per group names the tool and its install command. Outside CI those tests were skipped and
 * the run still passes; with CI=true they ran, and those that failed without their tool are
 * named the same way, with a failing exit code set here too, so CI cannot pass quietly.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { haveTool, isCi, missingToolsNotice, type MissingGroup, type ToolName } from './tools.js';

/** The tools a test needs: its own and those of every enclosing suite. */
function toolsOf(test: TestCase): ToolName[] {
  const names = new Set<ToolName>(test.meta().needs ?? []);
  for (let p: TestCase['parent'] | undefined = test.parent; p && p.type === 'suite'; p = p.parent) for (const n of p.meta().needs ?? []) names.add(n);
  return [...names];
}

/** Groups the tests that could not run (or, in CI, ran without their tool) by missing tool. */
export function missingGroups(modules: readonly TestModule[], ci: boolean): MissingGroup[] {
  const byTool = new Map<ToolName, { tests: number; files: Set<string> }>();
  for (const mod of modules) {
    for (const test of mod.children.allTests()) {
      const missing = toolsOf(test).filter((n) => !haveTool(n));
      if (missing.length === 0) continue;
      // Outside CI the test was skipped; in CI it ran without its tool, and counts if it failed.
      if (test.result().state !== (ci ? 'failed' : 'skipped')) continue;
      for (const tool of missing) {
        const g = byTool.get(tool) ?? { tests: 0, files: new Set<string>() };
        g.tests++;
        g.files.add(mod.moduleId);
        byTool.set(tool, g);
      }
    }
  }
  return [...byTool].sort(([a], [b]) => a.localeCompare(b)).map(([tool, g]) => ({ tool, tests: g.tests, files: g.files.size }));
}

/** The reporter (listed after 'default' in vitest.config.ts, so the notice comes last). */
export default class ToolsReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    const ci = isCi();
    const groups = missingGroups(modules, ci);
    if (groups.length === 0) return;
    process.stdout.write(`\n${missingToolsNotice(groups, ci)}\n`);
    if (ci) process.exitCode = 1;
  }
}
