import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { median, printTable } from './bench-table.js';
import { sharedCorpus } from './bench-project.js';

/** Bugs of the small and the large curriculum: the large one's time is compared with 10 × the small one's. */
const SMALL = 200;
const LARGE = 2000;
const WARM_CHECKS = 5;

interface Measured {
  code: number | null;
  ms: number;
  /** Peak RSS of bug-author's own process (its trace line, else /proc VmHWM sampled while it ran). */
  peakMb: number | undefined;
  workerPeakMb: number | undefined;
  cpuMs: number | undefined;
  /** When the first output was written, after the start. */
  firstJsonMs?: number;
  stdout: string;
}

/**
 * Scale: a curriculum of N distinct bugs generated from one patch (each copy with its own comment on
 * its added line, so no verdict or result is shared), built cold with CPython, then checked cold
 * (no cache) and warm. Figures: wall, peak RSS of bug-author and of its CPython worker, time to the
 * first JSON written.
 */
export async function benchScale(): Promise<void> {
  const small = generateCurriculum(SMALL);
  const large = generateCurriculum(LARGE);
  const smallBuild = await measure(['build', '--no-llm'], small.root, small.outputs);
  const largeBuild = await measure(['build', '--no-llm'], large.root, large.outputs);
  rmSync(path.join(large.root, '.bug-author', 'cache'), { recursive: true, force: true });
  const coldCheck = await measure(['check'], large.root);
  const warm: Measured[] = [];
  for (let i = 0; i < WARM_CHECKS; i++) warm.push(await measure(['check'], large.root));
  const warmMs = median(warm.map((w) => w.ms));
  const built = (m: Measured) => /Failed:\s+0\b/.test(m.stdout) ? 'all' : (/Failed:\s+(\d+)/.exec(m.stdout)?.[1] ?? '?') + ' failed';
  const mb = (n: number | undefined) => (n === undefined ? '?' : `${n} MB`);
  const s = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);
  printTable(
    `scale: ${LARGE} distinct bugs (copies of ${small.patch}, each with its own comment), CPython, concurrency 4 (node bin/bug-author.mjs … in a temp curriculum)`,
    ['run', 'bugs', 'exit', 'built', 'wall', 'CPU (bug-author)', 'peak RSS', 'worker peak RSS', 'first JSON after'],
    [
      ['build --no-llm, cold', SMALL, smallBuild.code ?? '-', built(smallBuild), s(smallBuild.ms), s(smallBuild.cpuMs), mb(smallBuild.peakMb), mb(smallBuild.workerPeakMb), s(smallBuild.firstJsonMs)],
      ['build --no-llm, cold', LARGE, largeBuild.code ?? '-', built(largeBuild), s(largeBuild.ms), s(largeBuild.cpuMs), mb(largeBuild.peakMb), mb(largeBuild.workerPeakMb), s(largeBuild.firstJsonMs)],
      ['check, cold (cache removed)', LARGE, coldCheck.code ?? '-', '-', s(coldCheck.ms), s(coldCheck.cpuMs), mb(coldCheck.peakMb), mb(coldCheck.workerPeakMb), '-'],
      [`check, warm (median of ${WARM_CHECKS})`, LARGE, warm.at(-1)!.code ?? '-', '-', `${(warmMs / 1000).toFixed(2)} s`, s(warm.at(-1)!.cpuMs), mb(Math.max(...warm.map((w) => w.peakMb ?? 0))), mb(warm.at(-1)!.workerPeakMb), '-'],
    ],
  );
  const ratio = largeBuild.ms / (10 * smallBuild.ms);
  const cpuRatio = largeBuild.cpuMs && smallBuild.cpuMs ? largeBuild.cpuMs / (10 * smallBuild.cpuMs) : undefined;
  console.log(
    `${LARGE}-bug build: ${ratio.toFixed(2)} × (10 × the ${SMALL}-bug build's wall time) (target ≤ 1.2; bug-author's own CPU: ${cpuRatio?.toFixed(2) ?? '?'} ×); ` +
      `peak RSS ${mb(largeBuild.peakMb)} (target ≤ 400 MB) + worker ${mb(largeBuild.workerPeakMb)}; first JSON after ${s(largeBuild.firstJsonMs)} (target ≤ 5 s); ` +
      `cold check ${mb(coldCheck.peakMb)} (target ≤ 400 MB); warm check ${(warmMs / 1000).toFixed(2)} s (target ≤ 2 s)`,
  );
  rmSync(small.root, { recursive: true, force: true });
  rmSync(large.root, { recursive: true, force: true });

  await benchLargeReference();
}

/** One bug in a large reference file: the file's size, not the number of bugs, is what grows. */
export async function benchLargeReference(): Promise<void> {
  const built = (m: Measured) => /Failed:\s+0\b/.test(m.stdout) ? 'all' : (/Failed:\s+(\d+)/.exec(m.stdout)?.[1] ?? '?') + ' failed';
  const mb = (n: number | undefined) => (n === undefined ? '?' : `${n} MB`);
  const s = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);
  const rows: (string | number)[][] = [];
  const runs: Measured[] = [];
  for (const shape of REFERENCE_SHAPES) {
    const project = largeReference(shape.constants, shape.functions);
    const run = await measure(['build', '--no-llm'], project.root);
    runs.push(run);
    rows.push([shape.label, project.lines, run.code ?? '-', built(run), s(run.ms), s(run.cpuMs), mb(run.peakMb), mb(run.workerPeakMb)]);
    rmSync(project.root, { recursive: true, force: true });
  }
  printTable('a large reference: one bug in its middle function (node bin/bug-author.mjs build --no-llm)', ['reference', 'lines', 'exit', 'built', 'wall', 'CPU (bug-author)', 'peak RSS', 'worker peak RSS'], rows);
  const peak = Math.max(...runs.map((r) => r.peakMb ?? Number.POSITIVE_INFINITY));
  const workerPeak = Math.max(...runs.map((r) => r.workerPeakMb ?? 0));
  console.log(`large reference: peak RSS ${mb(peak)} (target ≤ 400 MB, as the other scale targets) + worker ${mb(workerPeak)}; slowest ${s(Math.max(...runs.map((r) => r.ms)))}`);
}

/** Module-level statements and functions: statement alignment is quadratic in the first without its head/tail pairing. */
const REFERENCE_SHAPES = [
  { label: '10,000 constants + 1,000 functions', constants: 10_000, functions: 1_000 },
  { label: '2,000 functions', constants: 0, functions: 2_000 },
];

/** A reference of `constants` one-line assignments and `functions` ten-line functions; the bug changes the middle function. */
function largeReference(constants: number, functions: number): { root: string; lines: number } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-bench-reference-'));
  const lines = Array.from({ length: constants }, (_, i) => `TABLE_${i} = ${i} * 2`);
  const middle = Math.floor(functions / 2);
  let bugLine = 0;
  for (let i = 0; i < functions; i++) {
    if (i === middle) bugLine = lines.length + 1;
    lines.push(`def f${i}(x, k):`, `    y = x * k + ${i}`, '    z = y + 1', `    if z > ${i}:`, '        z = z - 1', '    w = [v * 2 for v in range(z)]', '    return sum(w)', '', '');
  }
  mkdirSync(path.join(root, 'modes', 'developer', 'pkg'), { recursive: true });
  writeFileSync(path.join(root, 'modes', 'developer', 'pkg', 'big.py'), `${lines.join('\n')}\n`);
  const bugs = path.join(root, 'curricula', 'c', 'modules', 'm', 'bugs');
  mkdirSync(bugs, { recursive: true });
  writeFileSync(
    path.join(bugs, 'minus.patch'),
    `--- a/pkg/big.py\n+++ b/pkg/big.py\n@@ -${bugLine},4 +${bugLine},4 @@\n def f${middle}(x, k):\n     y = x * k + ${middle}\n-    z = y + 1\n+    z = y - 1\n     if z > ${middle}:\n`,
  );
  writeFileSync(path.join(bugs, 'minus_symptom.txt'), 'Off by two.\n');
  return { root, lines: lines.length };
}

/** N bug folders, each holding a copy of one patch (with its own comment) and its symptom, beside the reference's modes/. */
function generateCurriculum(n: number): { root: string; outputs: string[]; patch: string } {
  const source = existsSync(sharedCorpus) ? sharedCorpus : path.join(packageRoot, 'example');
  const patches = readdirSync(path.join(source, 'curricula'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.patch')).sort();
  // A patch that changes one expression (synthesis builds it): the first whose added line is code.
  const chosen = patches.find((f) => /silu|correlation/.test(f)) ?? patches[0]!;
  const patchText = readFileSync(path.join(source, 'curricula', chosen), 'utf8');
  const symptomFile = path.join(source, 'curricula', chosen.replace(/\.patch$/, '_symptom.txt'));
  const symptom = existsSync(symptomFile) ? readFileSync(symptomFile, 'utf8') : 'The result is wrong.\n';
  const name = path.basename(chosen, '.patch');
  const root = mkdtempSync(path.join(os.tmpdir(), `bug-author-bench-scale-${n}-`));
  cpSync(path.join(source, 'modes'), path.join(root, 'modes'), { recursive: true });
  const outputs: string[] = [];
  for (let i = 0; i < n; i++) {
    const dir = path.join(root, 'curricula', `course_${Math.floor(i / 100)}`, 'modules', `module_${i}`, 'bugs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.patch`), patchText.replace(/^(\+(?!\+\+)\s*[^\s#].*)$/m, `$1  # copy ${i}`));
    writeFileSync(path.join(dir, `${name}_symptom.txt`), symptom);
    outputs.push(path.join(dir, `${name}.json`));
  }
  return { root, outputs, patch: chosen };
}

/** Runs the shipped CLI, sampling its peak RSS from /proc as it runs (kept if it dies before its trace line). */
function measure(args: string[], cwd: string, outputs: string[] = []): Promise<Measured> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'bug-author.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BUG_AUTHOR_TRACE: '1', BUG_AUTHOR_PYTHON: 'auto' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sampledKb = 0;
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const sampler = setInterval(() => {
      try {
        const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        sampledKb = Math.max(sampledKb, kb);
      } catch {
        // ended, or not Linux
      }
    }, 200);
    child.once('close', (code) => {
      clearInterval(sampler);
      const ms = performance.now() - started;
      const line = stderr.split('\n').find((l) => l.startsWith('bug-author-trace '));
      const trace = line ? (JSON.parse(line.slice('bug-author-trace '.length)) as { maxRssMb: number; workerMaxRssMb: number; cpuMs?: number }) : undefined;
      const written = outputs.flatMap((f) => {
        try {
          return [statSync(f).mtimeMs];
        } catch {
          return [];
        }
      });
      resolve({
        code,
        ms,
        peakMb: trace?.maxRssMb ?? (sampledKb ? Math.round(sampledKb / 1024) : undefined),
        workerPeakMb: trace?.workerMaxRssMb,
        cpuMs: trace?.cpuMs,
        ...(written.length ? { firstJsonMs: Math.min(...written) - startedAt } : {}),
        stdout,
      });
    });
  });
}
