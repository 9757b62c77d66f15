// `npm run graph [-- <checkout>]`: the module graph's figures against the layer table (this
// checkout's table, applied to the given checkout's sources; default this one).
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { LAYERS, unitOf } from './layers.js';
import { measureLayers, readModuleGraph } from './module-graph.js';

const root = path.resolve(process.argv[2] ?? packageRoot);
const figures = measureLayers(readModuleGraph(root, ['src', 'plugins']), LAYERS, unitOf);
const show = (e: { from: string; to: string; typeOnly: boolean; dynamic: boolean }) => `  ${e.from} → ${e.to}${e.typeOnly ? ' (type only)' : ''}${e.dynamic ? ' (dynamic)' : ''}`;
console.log(`${root}: ${figures.files} modules, ${figures.imports} imports (type-only and dynamic ones included)`);
console.log(`file cycles spanning folders: ${figures.fileCyclesAcrossFolders.length}${figures.fileCyclesAcrossFolders.map((c) => `\n  ${c.length} files over ${new Set(c.map(unitOf)).size} folders`).join('')}`);
console.log(`folder cycles: ${figures.folderCycles.length}${figures.folderCycles.map((c) => `\n  ${c.join(' ↔ ')}`).join('')}`);
console.log(`imports running up the layers: ${figures.upward.length}${figures.upward.map((e) => `\n${show(e)}`).join('')}`);
if (figures.unplaced.length) console.log(`not in the layer table: ${figures.unplaced.join(', ')}`);
