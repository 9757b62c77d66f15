import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { readModuleGraph } from './module-graph.js';

// The review studio is a client of the public API: what it shows of an injection, a draft or a
// patch-only decision comes through src/api. At run time it calls nothing of the pipeline that
// computes them (types, such as the definition format, may still be named).
const COMPUTING = ['src/injector/', 'src/transfer/', 'src/python/', 'src/verify/', 'src/repair/', 'src/layout/', 'src/compile/'];

test('src/review calls the injector, variants, Python, verification, repair and config edits only through src/api', () => {
  const graph = readModuleGraph(packageRoot, ['src']);
  const fromReview = graph.edges.filter((e) => e.from.startsWith('src/review/'));
  assert.ok(fromReview.some((e) => e.to.startsWith('src/api/')), 'the graph sees the studio call the API');
  const direct = fromReview.filter((e) => !e.typeOnly && COMPUTING.some((dir) => e.to.startsWith(dir))).map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(direct, []);
});
