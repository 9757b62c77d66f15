import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { LAYERS, unitOf } from './layers.js';
import { measureLayers, readModuleGraph } from './module-graph.js';

// Type-only and dynamic imports count: a type that climbs a layer ties the layers together as surely as a call.
const figures = measureLayers(readModuleGraph(packageRoot, ['src', 'plugins']), LAYERS, unitOf);

test('the module graph is read (a broken reader would pass everything below)', () => {
  assert.ok(figures.files > 100, `${figures.files} modules`);
  assert.ok(figures.imports > 300, `${figures.imports} imports`);
});

test('every folder of src/ and plugins/ has its place in the layer table (test/architecture/layers.ts)', () => {
  assert.deepEqual(figures.unplaced, []);
});

test('no module imports from a layer above its own', () => {
  const lines = figures.upward.map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type only)' : ''}`);
  assert.deepEqual(lines, [], 'move the import target down (or the type into src/contracts.ts), or pass it in from above');
});

test('no import cycle spans folders', () => {
  assert.deepEqual(figures.folderCycles, []);
  assert.deepEqual(figures.fileCyclesAcrossFolders, []);
});
