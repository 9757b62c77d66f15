import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugOutcome, BugRef } from '../../src/contracts.js';
import { emptyUsage } from '../../src/generate/usage.js';
import { formatBuildSummary } from '../../src/report/format-build-report.js';

const root = '/curriculum';

function bug(name: string): BugRef {
  const dir = `${root}/curricula/c/modules/${name}/bugs`;
  return { id: `${name}/b`, name: 'b', module: name, patchFile: `${dir}/b.patch`, dir, moduleDir: `${root}/curricula/c/modules/${name}`, outputFile: `${dir}/b.json`, symptomCandidates: [] };
}

function failed(name: string, reason: string, extras: Partial<BugOutcome> = {}): BugOutcome {
  return { bug: bug(name), ms: 1, status: 'failed', written: false, reason, verdict: 'error', needsAuthoring: false, inputFile: bug(name).patchFile, ...extras } as BugOutcome;
}

test('the summary tells what to run for the patches that no longer apply, and only for those', () => {
  const outcomes = [
    failed('rope', 'rope/bugs/b.patch:3: hunk 1 of 1: the code it removes, `y = x`, no longer exists in pkg/m.py', { patchRotted: true }),
    failed('silu', 'silu/bugs/b.patch: not UTF-8'),
  ];
  const text = formatBuildSummary({ outcomes, ms: 5, usage: emptyUsage(), pythonLoaded: false }, { root });
  assert.match(text, /\n {2}hint: 1 of these patches no longer applies to today's reference; `bug-author refresh-patch` drafts a repair of each for review/);
  assert.match(text, /\n {6}bug-author refresh-patch curricula\/c\/modules\/rope\/bugs\/b\.patch$/);

  const none = formatBuildSummary({ outcomes: [outcomes[1]!], ms: 5, usage: emptyUsage(), pythonLoaded: false }, { root });
  assert.doesNotMatch(none, /refresh-patch/, 'a broken input that is not a rotted patch gets no such hint');
});
