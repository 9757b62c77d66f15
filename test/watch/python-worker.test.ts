import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { interpreterFor, type PythonChoice } from '../../src/python/python-choice.js';
import { createPythonRuntime } from '../../src/python/runtime.js';
import { childProcesses, processExists, waitUntil } from '../support/processes.js';
import { BUGS, deletionPatch, disposableProjects, OPS_PY } from './support/watch-fixture.js';
import { startLoggedWatcher } from './support/watch-log.js';

const cpython: PythonChoice = { setting: 'auto', from: 'default', baseDir: packageRoot };
const python3 = interpreterFor(cpython);
const skip = (!(python3 && 'executable' in python3) && 'no python3 on PATH') || (process.platform !== 'linux' && 'reads /proc');

const project = disposableProjects();

const SAVES = 30;
const dropAdd = BUGS[0]!;
const workers = () => childProcesses()!.filter((c) => c.command.includes('worker.py'));

test(`${SAVES} regenerations with the worker killed twice on the way: every save is served, one worker, no zombies`, { skip }, async () => {
  const p = project();
  const python = createPythonRuntime(cpython);
  const { watcher, log } = await startLoggedWatcher(p.root, { python });
  try {
    assert.equal(python.backend?.kind, 'cpython');
    const killed: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      if (i === 10 || i === 20) {
        killed.push(python.backend!.pid!);
        process.kill(python.backend!.pid!, 'SIGKILL');
      }
      const since = log.mark();
      const deletes = i % 2 === 0 ? 'y = x * k' : 'z = y + 1';
      p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, deletes, `BUG: edit ${i}`));
      const event = await log.waitForOutcome(since, `${dropAdd.module}/${dropAdd.name}`);
      assert.equal(event.outcome.status, 'built', `save ${i}: ${event.outcome.reason}`);
      assert.equal(event.outcome.verdict, 'exact');
    }
    assert.equal(python.backend?.restarts, 2);
    for (const pid of killed) assert.equal(processExists(pid), false);
    await waitUntil(() => !childProcesses()!.some((c) => c.state === 'Z'), 3000, 'no zombie children');
    assert.deepEqual(
      workers().map((w) => w.pid),
      [python.backend!.pid],
      'exactly one live worker',
    );
  } finally {
    await watcher.close();
    await python.close();
  }
  await waitUntil(() => workers().length === 0, 3000, 'no worker once watch and its Python are closed');
});
