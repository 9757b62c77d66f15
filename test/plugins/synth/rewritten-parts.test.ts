import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratorResult } from '../../../src/generate/generator.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { inject } from '../../../src/injector/inject.js';
import { sameTree } from '../../../src/python/tree.js';
import { bugContextFrom, generatorContextFor, parseModule, type SourcePair } from './synth-fixture.js';

// A literal `replace_value_with` writes the reference's whole new value over the student's: it
// may land only where the student's old value is the reference's in every part the new value
// keeps. A student who named an attribute otherwise, or wrote `min`'s arguments the other way
// round, gets a loud no-match, never the reference's code in place of theirs.

async function generated(pair: SourcePair): Promise<BugDefinition> {
  const bug = await bugContextFrom(pair);
  const result: GeneratorResult = await synthGenerator().generate(bug, generatorContextFor(bug));
  assert.equal(result.status, 'generated', result.status === 'generated' ? '' : result.reason);
  return (result as Extract<GeneratorResult, { status: 'generated' }>).definition;
}

/** 'exact' when the injection gives exactly `expected`, 'no-match' when it injects nothing, else 'wrong' with the output. */
async function outcome(definition: BugDefinition, student: string, expected: string): Promise<string> {
  const injected = await inject(definition, student);
  if (!injected.ok) return 'no-match';
  return sameTree(await parseModule(injected.output!), await parseModule(expected)) ? 'exact' : `wrong:\n${injected.output}`;
}

const GRID = (rows: string, index: string) => `class Grid:
    def __init__(self, rows):
        self.${rows} = rows
        self.h = len(rows)

    def col_sum(self, c):
        total = 0
        for r in range(self.h):
            total += self.${rows}${index}
        return total
`;

test('indices swapped in a literal: a student whose attribute has another name gets a loud no-match, not the reference\'s attribute', async () => {
  const definition = await generated({ reference: GRID('rows', '[r][c]'), patched: GRID('rows', '[c][r]') });
  assert.equal(await outcome(definition, GRID('rows', '[r][c]'), GRID('rows', '[c][r]')), 'exact');
  assert.equal(await outcome(definition, GRID('grid', '[r][c]'), GRID('grid', '[c][r]')), 'no-match');
});

const COST = (call: string, args: string) => `def min_cost(cost):
    n = len(cost)
    dp = [0] * (n + 1)
    for i in range(2, n + 1):
        dp[i] = ${call}(${args})
    return dp[n]


def max_gain(gain):
    n = len(gain)
    dp = [0] * (n + 1)
    for i in range(2, n + 1):
        dp[i] = max(dp[i - 1] + gain[i - 1], dp[i - 2] + gain[i - 2])
    return dp[n]
`;
const IN_ORDER = 'dp[i - 1] + cost[i - 1], dp[i - 2] + cost[i - 2]';
const SWAPPED = 'dp[i - 2] + cost[i - 2], dp[i - 1] + cost[i - 1]';

test("a call's function changed by a literal: a student who wrote its arguments in another order gets a loud no-match, not the reference's order", async () => {
  const definition = await generated({ reference: COST('min', IN_ORDER), patched: COST('max', IN_ORDER) });
  assert.equal(await outcome(definition, COST('min', IN_ORDER), COST('max', IN_ORDER)), 'exact');
  assert.equal(await outcome(definition, COST('min', SWAPPED), COST('max', SWAPPED)), 'no-match');
});
