import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckReport } from '../../src/check/collect-findings.js';
import type { Finding } from '../../src/check/finding.js';
import { formatGithub, formatJson, formatText } from '../../src/check/format-findings.js';

const findings: Finding[] = [
  {
    kind: 'stale',
    severity: 'error',
    bug: 'm/a',
    file: 'bugs/a.json',
    message: 'bugs/a.json is stale: 100% sure, really',
    fix: 'bug-author build bugs/a.patch',
  },
  {
    kind: 'input-error',
    severity: 'error',
    bug: 'm/b',
    file: 'src/x,y:z.py',
    line: 7,
    message: 'src/x,y:z.py:7: Python syntax error\nsecond line',
    fix: 'fix src/x,y:z.py, then run: bug-author build bugs/b.patch',
  },
  { kind: 'orphan', severity: 'warning', file: 'bugs/old.json', message: 'bugs/old.json is not the output of any patch', fix: 'rm bugs/old.json' },
];
const report: CheckReport = { findings, transfer: [], bugs: 5, checked: 5, pythonLoaded: false, staged: false, ms: 42 };

/** Reads GitHub workflow commands back, undoing their escaping. */
function parseAnnotations(text: string) {
  const unescape = (s: string) => s.replaceAll('%0A', '\n').replaceAll('%0D', '\r').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');
  return text
    .split('\n')
    .filter((line) => line.startsWith('::'))
    .map((line) => {
      const match = /^::(error|warning) ([^:]*)::(.*)$/.exec(line);
      assert.ok(match, `not a workflow command: ${line}`);
      const properties = Object.fromEntries(match[2]!.split(',').map((p) => p.split('=').map(unescape) as [string, string]));
      return { severity: match[1], properties, message: unescape(match[3]!) };
    });
}

test('github format: one annotation per finding, escaped so it parses back to the same finding', () => {
  const text = formatGithub(report, { root: '/repo/project', workspace: '/repo' });
  const annotations = parseAnnotations(text);
  assert.equal(annotations.length, 3);
  assert.deepEqual(
    annotations.map((a) => [a.severity, a.properties.file, a.properties.line, a.message]),
    findings.map((f) => [f.severity, `project/${f.file}`, f.line === undefined ? undefined : String(f.line), `${f.message}\nFix: ${f.fix}`]),
  );
  assert.equal(annotations[0]!.properties.title, 'bug-author stale (m/a)');
  assert.match(text.trimEnd().split('\n').at(-1)!, /^✖ 2 errors, 1 warning in 5 bugs/);
});

test('text format: each finding with its fix, then a summary', () => {
  const text = formatText(report);
  assert.match(text, /✖ stale {2}m\/a\n {2}bugs\/a\.json is stale: 100% sure, really\n {2}fix: bug-author build bugs\/a\.patch/);
  assert.match(text, /⚠ orphan\n {2}bugs\/old\.json is not the output of any patch\n {2}fix: rm bugs\/old\.json/);
  assert.match(text, /✖ 2 errors, 1 warning in 5 bugs · 0\.04 s · Python not loaded\n$/);
  assert.equal(formatText({ ...report, findings: [] }), '✔ 5 bugs · 0.04 s · Python not loaded: every JSON present, up to date and verified\n');
  assert.match(formatText({ ...report, findings: [], checked: 0, since: 'main' }), /0 of 5 bugs \(changed since main\).*nothing to check/);
});

test('json format: one document with counts, facts and the findings', () => {
  const parsed = JSON.parse(formatJson(report)) as Record<string, unknown>;
  assert.deepEqual(parsed, { ok: false, errors: 2, warnings: 1, transfer: [], bugs: 5, checked: 5, pythonLoaded: false, staged: false, ms: 42, findings });
  assert.equal((JSON.parse(formatJson({ ...report, findings: [findings[2]!] })) as { ok: boolean }).ok, true, 'warnings alone are ok');
});
