#!/usr/bin/env node
// Runs the compiled CLI (dist/, what the published package ships). In a checkout,
// BUG_AUTHOR_FROM_SOURCE=1 (or a missing dist/) runs the TypeScript sources through tsx,
// a development dependency.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const compiled = path.join(root, 'dist', 'src', 'main.js');
if (existsSync(compiled) && !process.env.BUG_AUTHOR_FROM_SOURCE) {
  await import(pathToFileURL(compiled).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      existsSync(compiled)
        ? 'bug-author: BUG_AUTHOR_FROM_SOURCE needs the development dependencies (npm install in the checkout)\n'
        : `bug-author: the compiled CLI is missing (${path.relative(process.cwd(), compiled) || compiled}); run \`npm run build:ts\` in ${root}\n`,
    );
    process.exit(2);
  }
  register();
  await import(pathToFileURL(path.join(root, 'src', 'main.ts')).href);
}
