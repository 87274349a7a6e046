// The module walls of ARCHITECTURE.md ("Boundaries") as the lint rule judges them, and the rule
// run through ESLint itself on a deliberate violation.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { violation } from '../../eslint/boundaries.js';
import { repoRoot } from './import-graph.js';

describe('layerloom/boundaries', () => {
  it.each([
    ['engine/jobs/train-job.ts', 'nas/runner/experiment.ts', /engine\/ may not import nas\//],
    ['engine/server/serve.ts', 'renderer/src/app/actions.ts', /engine\/ may not import renderer\//],
    ['engine/server/serve.ts', 'electron/main.ts', /engine\/ may not import electron\//],
    ['engine/train/loop.ts', 'cli/main.ts', /engine\/ may not import cli\//],
    ['nas/runner/experiment.ts', 'renderer/src/store/view-store.ts', /nas\/ may not import renderer\//],
    ['nas/runner/experiment.ts', 'electron/host-api.ts', /nas\/ may not import electron\//],
    ['renderer/src/app/actions.ts', 'engine/train/loop.ts', /only the pure engine\/nas modules/],
    ['renderer/src/app/actions.ts', 'nas/space/drawn.ts', /only the pure engine\/nas modules/],
    ['renderer/src/app/actions.ts', 'electron/main.ts', /only electron\/host-api/],
    ['engine/train/loop.ts', 'tests/e2e/harness.ts', /only tests\/ may import tests\//],
    ['engine/layers/registry.ts', 'tests/tools.ts', /only tests\/ may import tests\//],
    ['engine/train/onnx-step/step-model.ts', 'engine/train/onnx-step/grad-check.testkit.ts', /test helper/],
    ['tests/server/x.test.ts', 'renderer/src/store/view-store.ts', /only through renderer\/src\/public-api/],
  ])('%s may not import %s', (from, to, why) => {
    expect(violation(from, to)).toMatch(why);
  });

  it.each([
    ['cli/commands/search-command.ts', 'nas/runner/experiment.ts'],
    ['cli/commands/serve-command.ts', 'engine/server/serve.ts'],
    ['renderer/src/app/actions.ts', 'engine/graph/schema.ts'],
    ['renderer/src/app/actions.ts', 'engine/layers/index.ts'],
    ['renderer/src/app/actions.ts', 'engine/server/protocol/index.ts'],
    ['renderer/src/app/actions.ts', 'nas/space/drawn-parse.ts'],
    ['renderer/src/app/actions.ts', 'electron/host-api.ts'],
    ['engine/train/onnx-step/grads-conv.test.ts', 'engine/train/onnx-step/grad-check.testkit.ts'],
    ['tests/server/x.test.ts', 'renderer/src/public-api.ts'],
    ['nas/runner/experiment.ts', 'engine/store/db.ts'],
    ['engine/layers/onnx-conformance.test.ts', 'tests/tools.ts'],
  ])('%s may import %s', (from, to) => {
    expect(violation(from, to)).toBeNull();
  });

  it('reports a deliberate violation through npm run lint’s ESLint config', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const file = path.join(repoRoot, 'engine/jobs/boundary-probe.ts');
    const [result] = await eslint.lintText("import { runExperiment } from '../../nas/runner/experiment.js';\nexport const probe = runExperiment;\n", {
      filePath: file,
    });
    const messages = result.messages.filter((m) => m.ruleId === 'layerloom/boundaries').map((m) => m.message);
    expect(messages).toEqual(['engine/jobs/boundary-probe.ts: engine/ may not import nas/ (nas/runner/experiment.js); the composition root is cli/']);
  });
});
