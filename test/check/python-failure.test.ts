import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createContentCache } from '../../src/cache/content-cache.js';
import { collectFindings } from '../../src/check/collect-findings.js';
import { loadConfig } from '../../src/config/load-config.js';
import { PythonWorkerError } from '../../src/python/python-errors.js';
import { createPythonRuntime, withBridge, type PythonBridge } from '../../src/python/runtime.js';
import { ALWAYS_LIMIT, curriculumRepo, NO_DIVIDE, NO_FACTOR } from '../support/git-fixture.js';

/** A runtime whose worker dies on every call (as when it was killed twice on the same bug). */
function dyingPython() {
  const dies = () => Promise.reject(new PythonWorkerError('the Python worker (python3, pid 1) was killed by SIGKILL'));
  const bridge = new Proxy({} as PythonBridge, { get: (_, name) => (name === 'then' ? undefined : dies) });
  return withBridge(createPythonRuntime({ setting: 'pyodide', from: 'default', baseDir: '/' }), () => Promise.resolve(bridge));
}

test('Python dying while check looks into a missing JSON or verifies one: that bug could not be verified, the check goes on', async () => {
  const repo = await curriculumRepo();
  await repo.remove(NO_FACTOR.json); // missing: check asks Python whether the inputs parse; the other two are verified
  const config = await loadConfig({ cwd: repo.root });
  const report = await collectFindings(config, { staged: false, ci: false }, { python: dyingPython(), cache: createContentCache(path.join(repo.root, '.fresh-cache')) });
  const notVerified = report.findings.filter((f) => /could not be verified: the Python worker .* was killed by SIGKILL/.test(f.message));
  assert.deepEqual(notVerified.map((f) => f.bug).sort(), [NO_FACTOR.id, NO_DIVIDE.id, ALWAYS_LIMIT.id].sort(), JSON.stringify(report.findings, null, 2));
  assert.equal(report.checked, 3);
});
