import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { judgeEngineDialect } from '../../src/schema/engine-dialect.js';
import { runInProcess } from '../support/cli-run.js';

// Hand-written JSON in the older dialect real repositories hold: no per-pass description, Python
// code where the engine takes a node path. Judged by what the engine does with it.

const OLD_DIALECT = {
  id: 'silu-missing-multiply',
  description: 'Returns the gate alone',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'silu',
  logic: [{ pass: 1, type: 'find_and_replace', pattern: { node_type: 'Return', value: { node_type: 'BinOp', op: 'Mult' } }, replacement: { type: 'replace_value_with', source: 'node.value.right' } }],
};

const CODE_IN_REPLACE_WITH = {
  ...OLD_DIALECT,
  logic: [{ pass: 1, type: 'find_and_replace', pattern: { node_type: 'Return' }, replacement: { type: 'replace_with', source: 'return torch.sigmoid(x)' } }],
};

test('what the engine never reads is a warning; what makes it fail or misbehave is an error saying why', () => {
  const lacking = judgeEngineDialect(OLD_DIALECT);
  assert.deepEqual(lacking.errors, []);
  assert.deepEqual(lacking.warnings.map((w) => w.path), ['/logic/0']);
  assert.match(lacking.warnings[0]!.message, /missing 'description' \(the engine never reads it\)/);

  const code = judgeEngineDialect(CODE_IN_REPLACE_WITH);
  assert.equal(code.errors.length, 1);
  assert.equal(code.errors[0]!.path, '/logic/0/replacement/source');
  assert.match(code.errors[0]!.message, /replace_with only takes a path .* finds nothing there, and deletes the matched node; use replace_value_with for code/);
  assert.match(judgeEngineDialect({ ...CODE_IN_REPLACE_WITH, logic: [{ ...CODE_IN_REPLACE_WITH.logic[0], replacement: { type: 'replace_with', source: 'gate' } }] }).errors[0]!.message, /puts the matched node back unchanged/);

  assert.match(judgeEngineDialect({ id: 'x', logic: [] }).errors.map((e) => e.message).join('\n'), /missing 'injection_type': the engine refuses to load it/);
  assert.match(judgeEngineDialect({ ...OLD_DIALECT, logic: [{ type: 'find_and_replace', pattern: {} }] }).errors[0]!.message, /has no 'replacement': the engine deletes every node the pattern matches/);
  assert.match(judgeEngineDialect({ ...OLD_DIALECT, logic: [{ type: 'replace', pattern: {} }] }).errors[0]!.message, /silently skips a pass/);
  assert.match(judgeEngineDialect({ ...OLD_DIALECT, logic: [{ type: 'find_and_replace' }] }).errors[0]!.message, /KeyError 'pattern'/);
});

const ENGINE = process.env.BUG_AUTHOR_ENGINE ?? '/tmp/engine';

test('the claims hold on the real engine', { skip: !existsSync(path.join(ENGINE, 'engine/ast_harden/generic_injector.py')) && `no engine at ${ENGINE}` }, () => {
  const run = (definition: unknown) =>
    execFileSync('python3', ['-c', 'import json,sys\nfrom engine.ast_harden.generic_injector import GenericBugInjector\nout, ok = GenericBugInjector(json.loads(sys.argv[1])).inject("import torch\\ndef silu(x):\\n    return x * torch.sigmoid(x)\\n")\nprint(ok); print(out)', JSON.stringify(definition)], {
      cwd: os.tmpdir(),
      env: { ...process.env, PYTHONPATH: ENGINE, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
  // Missing descriptions: the engine injects all the same.
  assert.match(run(OLD_DIALECT), /^True\n[\s\S]*return torch\.sigmoid\(x\)/);
  // Python code in replace_with: the matched node is deleted (not replaced by the code).
  const deleted = run(CODE_IN_REPLACE_WITH);
  assert.match(deleted, /^True\n/);
  assert.doesNotMatch(deleted, /return/);
});

test('check and build report hand-written JSON by what the engine would do, not by the descriptions it lacks', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-dialect-'));
  const files: Record<string, string> = {
    'modes/developer/pkg/act.py': 'import torch\n\n\ndef silu(x):\n    return x * torch.sigmoid(x)\n',
    'curricula/c/modules/silu/bugs/no_multiply.patch': '--- a/pkg/act.py\n+++ b/pkg/act.py\n@@ -4,2 +4,2 @@\n def silu(x):\n-    return x * torch.sigmoid(x)\n+    return torch.sigmoid(x)\n',
    'curricula/c/modules/silu/bugs/no_multiply_symptom.txt': 'SiLU returns the gate alone.\n',
    'curricula/c/modules/silu/bugs/no_multiply.json': JSON.stringify(OLD_DIALECT, null, 2),
    'curricula/c/modules/gate/bugs/code_source.patch': '--- a/pkg/act.py\n+++ b/pkg/act.py\n@@ -4,2 +4,2 @@\n def silu(x):\n-    return x * torch.sigmoid(x)\n+    return torch.sigmoid(x)\n',
    'curricula/c/modules/gate/bugs/code_source_symptom.txt': 'SiLU returns the gate alone.\n',
    'curricula/c/modules/gate/bugs/code_source.json': JSON.stringify(CODE_IN_REPLACE_WITH, null, 2),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  mkdirSync(path.join(root, '.git'));
  const check = await runInProcess(['check', '--format', 'json'], root);
  const findings = (JSON.parse(check.stdout) as { findings: { kind: string; severity: string; bug?: string; message: string }[] }).findings;
  const silu = findings.filter((f) => f.bug === 'silu/no_multiply');
  // Injected by the usual verification: exact (only a warning about a look-alike function remains).
  assert.deepEqual(silu.filter((f) => f.kind !== 'does-not-transfer').map((f) => [f.kind, f.severity]), [['engine-dialect', 'warning']], JSON.stringify(silu));
  assert.ok(silu.every((f) => f.severity === 'warning'));
  const code = findings.filter((f) => f.bug === 'gate/code_source');
  assert.deepEqual(code.map((f) => [f.kind, f.severity]), [['schema-invalid', 'error']]);
  assert.match(code[0]!.message, /\(hand-written\) would make the engine fail or misbehave: \/logic\/0\/replacement\/source: is Python code, but replace_with only takes a path/);

  const build = await runInProcess(['build', '--no-llm'], root);
  assert.match(build.stdout, /✔ silu\/no_multiply +manual +exact/);
  assert.doesNotMatch(build.stdout, /missing required property 'description'/);
});
