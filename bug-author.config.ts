import { defineConfig } from 'bug-author';

// This repository's own example curriculum (example/). A curriculum laid out like
// ../shared/corpus needs no config at all; these are the options worth knowing.
export default defineConfig({
  bugs: ['example/curricula/*/modules/*/bugs/*.patch'],
  sourceRoots: ['example/modes/developer'],
  // symptom: ['{dir}/{name}_symptom.txt', '{moduleDir}/symptom.txt'],
  // output: '{dir}/{name}.json',
  // library: 'auto',            // use <module>/solution.py when it exists
  // golden: ['example/golden/*.json'],
  // generators: [synthGenerator(), openaiGenerator({ model: 'gpt-4o-mini' })],
  concurrency: 4,
  cacheDir: '.bug-author/cache',
});
