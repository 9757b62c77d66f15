import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load-config.js';
import { discoverBugs } from '../src/discover/discover-bugs.js';
import { prepareDefinition } from '../src/injector/inject.js';
import { readBugInputs } from '../src/inputs/read-bug-inputs.js';
import { sharedPythonRuntimes } from '../src/python/runtime.js';
import { pythonChoiceOf } from '../src/python/python-choice.js';
import { checkTransfer, type TransferReport } from '../src/transfer/check-transfer.js';
import { createVariantSource, VARIANT_KINDS } from '../src/transfer/student-variants.js';
import { verifyDefinition } from '../src/verify/verify-definition.js';
import { judgeStudentCases, loadStudentCases, tally } from '../test/transfer/support/student-files.js';
import { printTable } from './bench-table.js';
import { BACKENDS, copyCorpus, runCliProcess } from './bench-project.js';

/**
 * What transfer verification costs and what it finds on the corpus: per bug, the time to build
 * its student-style variants (the reference's own ones are shared by every bug of that file) and
 * to try its definition on them; then how many definitions transfer per variant kind.
 */
export async function benchTransfer(): Promise<void> {
  const copy = copyCorpus();
  const built = await runCliProcess(['build', '--no-llm'], copy.root, BACKENDS[0]!.env);
  if (built.code === 2) throw new Error(`build of ${copy.root} failed (exit 2)`);
  const config = await loadConfig({ cwd: copy.root });
  for (const backend of BACKENDS) {
    const python = sharedPythonRuntimes().runtimeFor(pythonChoiceOf({ env: { ...process.env, ...backend.env }, cwd: copy.root }));
    await python.bridge();
    const variants = createVariantSource(python);
    const rows: (string | number)[][] = [];
    const reports = new Map<string, TransferReport>();
    const exactOnReference = new Set<string>();
    const handWritten = new Set<string>();
    let variantsMs = 0;
    let checkMs = 0;
    for (const bug of await discoverBugs(config)) {
      if (!existsSync(bug.outputFile)) continue;
      const inputs = await readBugInputs(bug, config);
      let started = performance.now();
      const subject = await variants.variantsFor(inputs.referenceText, inputs.patchedText);
      const built = performance.now() - started;
      if ('error' in subject) continue;
      const definition = JSON.parse(readFileSync(bug.outputFile, 'utf8')) as { metadata?: { bug_author?: unknown } };
      if (!definition.metadata?.bug_author) handWritten.add(bug.id);
      const prepared = await prepareDefinition(definition, python);
      const verified = await verifyDefinition(definition, { reference: inputs.referenceText, patched: inputs.patchedText }, python);
      if (verified.verdict === 'exact') exactOnReference.add(bug.id);
      started = performance.now();
      const report = checkTransfer(prepared, subject);
      const checked = performance.now() - started;
      variantsMs += built;
      checkMs += checked;
      reports.set(bug.id, report);
      rows.push([bug.id, `${built.toFixed(0)} ms`, `${checked.toFixed(1)} ms`, `${report.exact}/${report.total}`, report.worst, report.referenceBound?.join(' ') ?? '']);
    }
    printTable(`transfer per bug on ${backend.name} (variants: built once per reference file and per bug; check: the definition on every variant)`, ['bug', 'variants', 'check', 'transfer', 'worst', 'reference-bound'], rows);
    console.log(`transfer cost on ${backend.name}: ${variantsMs.toFixed(0)} ms building variants, ${checkMs.toFixed(0)} ms checking definitions, for ${reports.size} JSON`);
    if (backend === BACKENDS[0]) printTransferFigures(reports, exactOnReference, handWritten);
  }
  await benchStudentFiles(copy.root, 'as built (hand-written JSON kept)');
  const forced = copyCorpus();
  await runCliProcess(['build', '--no-llm', '--force'], forced.root, BACKENDS[1]!.env);
  await benchStudentFiles(forced.root, 'all generated (build --force)');
}

/** The corpus's definitions on the hand-written student files of test/fixtures/student-files, per definition. */
async function benchStudentFiles(root: string, label: string): Promise<void> {
  const config = await loadConfig({ cwd: root });
  const definitions = new Map<string, unknown>();
  for (const bug of await discoverBugs(config)) {
    if (existsSync(bug.outputFile)) definitions.set(bug.module, JSON.parse(readFileSync(bug.outputFile, 'utf8')));
  }
  const { results, judge } = await judgeStudentCases(loadStudentCases(), definitions);
  const rows = [...tally(results)].map(([module, r]) => [module, r.exact, r['no-match'], r.wrong]);
  const total = (o: string) => results.filter((r) => r.outcome === o).length;
  rows.push(['total', total('exact'), total('no-match'), total('wrong')]);
  printTable(`hand-written student files, ${label}, judged by ${judge} (${results.length} files)`, ['definition', 'exact', 'no-match', 'wrong'], rows);
}

function printTransferFigures(reports: ReadonlyMap<string, TransferReport>, exactOnReference: ReadonlySet<string>, handWritten: ReadonlySet<string>): void {
  const exact = [...reports.entries()].filter(([bug]) => exactOnReference.has(bug));
  const on = (kinds: readonly string[]) => exact.filter(([, r]) => kinds.every((k) => r.variants.find((v) => v.kind === k)?.outcome === 'exact')).length;
  const rows = VARIANT_KINDS.map((kind) => {
    const applicable = exact.filter(([, r]) => r.variants.some((v) => v.kind === kind));
    const count = (outcome: string, among = applicable) => among.filter(([, r]) => r.variants.find((v) => v.kind === kind)?.outcome === outcome).length;
    return [kind, applicable.length, count('exact'), count('no-match'), count('wrong'), count('wrong', applicable.filter(([bug]) => handWritten.has(bug)))];
  });
  printTable(`definitions exact on the reference (${exact.length}), per student-style variant`, ['variant', 'applies', 'exact', 'no-match', 'wrong', 'of which hand-written'], rows);
  console.log(`locals renamed and positions moved: ${on(['renamed-locals', 'moved'])}/${exact.length} transfer; arguments renamed too: ${on(['renamed-locals', 'moved', 'renamed-arguments'])}/${exact.length}`);
  const wrong = exact.filter(([, r]) => r.worst === 'wrong').map(([bug]) => bug);
  console.log(`wrong on some variant: ${wrong.length ? wrong.join(', ') : 'none'}`);
}
