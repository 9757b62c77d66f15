import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createTwoFilesPatch } from 'diff';
import { inject } from '../../src/injector/inject.js';
import { parsePython } from '../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { sameTree } from '../../src/python/tree.js';
import { runInProcess } from '../support/cli-run.js';

// A library-mode curriculum of its own (problems/<p>/solution.py + bugs/*.patch), with look-alike
// code beside every changed function: a student who adds one assignment at the top of every
// function must get exactly the intended bug from every generated definition, or a loud no-match
// (only from a reference-bound one). No index a student can shift decides where a bug lands.

const problems: Record<string, { solution: string; bugs: Record<string, string> }> = {
  smoothing: {
    solution: `def clip(xs, lo, hi):
    return [min(max(x, lo), hi) for x in xs]


def smooth(values, alpha):
    out = []
    prev = values[0]
    for v in values:
        prev = alpha * v + (1 - alpha) * prev
        out.append(prev)
    out = clip(out, 0.0, 1.0)
    return out


def smooth_copy(values, alpha):
    out = []
    prev = values[0]
    for v in values:
        prev = alpha * v + (1 - alpha) * prev
        out.append(prev)
    out = clip(out, 0.0, 1.0)
    return out
`,
    bugs: {
      no_clip: 'out = clip(out, 0.0, 1.0)\n    return out\n\n\ndef smooth_copy',
    },
  },
  scores: {
    solution: `class Normalizer:
    def __init__(self, size):
        self.size = size

    def __call__(self, xs):
        total = sum(xs)
        return [x / total for x in xs]


def score(raw, offset, size):
    shifted = raw - offset
    norm = Normalizer(size)
    ranked = sorted(shifted)
    ranked = norm(ranked)
    return ranked


def score_similar(raw, offset, size):
    shifted = raw - offset
    norm = Normalizer(size)
    ranked = sorted(shifted)
    ranked = norm(ranked)
    return ranked
`,
    bugs: {
      no_norm: 'norm = Normalizer(size)\n    ranked = sorted(shifted)\n    ranked = norm(ranked)\n    return ranked\n\n\ndef score_similar',
    },
  },
  windows: {
    solution: `def windows(items, width):
    n = len(items)
    last = n - width
    starts = list(range(0, last + 1))
    return [items[s:s + width] for s in starts]


def windows_alt(items, width):
    n = len(items)
    last = n - width
    starts = list(range(0, last + 1))
    return [items[s:s + width] for s in starts]
`,
    bugs: {
      off_by_one: 'starts = list(range(0, last + 1))\n    return [items[s:s + width] for s in starts]\n\n\ndef windows_alt',
    },
  },
};

/** The patched solution for each bug: the marked code changed in the first function only. */
function patched(problem: string, bug: string): string {
  const { solution, bugs } = problems[problem]!;
  const marker = bugs[bug]!;
  const edits: Record<string, string> = {
    no_clip: marker.replace('out = clip(out, 0.0, 1.0)\n    ', ''),
    no_norm: marker.replace('norm = Normalizer(size)\n    ', '').replace('    ranked = norm(ranked)\n', ''),
    off_by_one: marker.replace('range(0, last + 1)', 'range(0, last)'),
  };
  assert.ok(solution.includes(marker));
  return solution.replace(marker, edits[bug]!);
}

/** One assignment at the top of every function (they have no docstrings): every canonical index shifts. */
function withCounterAtTop(source: string): string {
  return source.replace(/^( *)(def .*:\n)/gm, (_, indent: string, header: string) => `${indent}${header}${indent}    calls_seen = 0\n`);
}

test('library mode, look-alike code: one more assignment at the top of every function gives the intended bug or a loud no-match', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-library-'));
  mkdirSync(path.join(root, 'modes'));
  for (const [problem, { solution, bugs }] of Object.entries(problems)) {
    const dir = path.join(root, 'problems', problem);
    mkdirSync(path.join(dir, 'bugs'), { recursive: true });
    writeFileSync(path.join(dir, 'solution.py'), solution);
    for (const bug of Object.keys(bugs)) {
      writeFileSync(path.join(dir, 'bugs', `${bug}.patch`), createTwoFilesPatch('a/solution.py', 'b/solution.py', solution, patched(problem, bug)));
      writeFileSync(path.join(dir, 'bugs', `${bug}_symptom.txt`), 'Something is off.\n');
    }
  }
  const built = await runInProcess(['build', '--no-llm'], root);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const python = sharedPythonRuntime();
  let generated = 0;
  for (const problem of Object.keys(problems)) {
    for (const bug of Object.keys(problems[problem]!.bugs)) {
      const file = path.join(root, 'problems', problem, 'bugs', `${bug}.json`);
      assert.ok(existsSync(file), `${problem}/${bug} generated`);
      generated++;
      const definition = JSON.parse(readFileSync(file, 'utf8')) as { metadata: { bug_author: { transfer?: { reference_bound?: string[]; failing?: Record<string, string> } } } };
      const student = withCounterAtTop(problems[problem]!.solution);
      const result = await inject(definition, student);
      const recorded = definition.metadata.bug_author.transfer;
      if (!result.ok) {
        assert.ok(recorded?.reference_bound, `${problem}/${bug}: a no-match only for a reference-bound definition`);
        continue;
      }
      const [got, expected] = await Promise.all([parsePython(python, result.output!), parsePython(python, withCounterAtTop(patched(problem, bug)))]);
      assert.ok(got.ok && expected.ok);
      assert.ok(sameTree(got.tree, expected.tree), `${problem}/${bug} injects exactly the intended bug:\n${result.output}`);
      assert.notEqual(recorded?.failing?.['extra-assignment-top'], 'wrong');
      assert.notEqual(recorded?.failing?.lookalike, 'wrong');
    }
  }
  assert.equal(generated, readdirSync(path.join(root, 'problems')).length);
});
