import path from 'node:path';
import type { CheckReport } from './collect-findings.js';
import { countBySeverity } from './finding.js';

const DIFF_LINES = 40;

/** A readable list: each finding with the command that fixes it, then one summary line. */
export function formatText(report: CheckReport): string {
  const blocks = report.findings.map((f) => {
    const head = `${f.severity === 'error' ? '✖' : '⚠'} ${f.kind}${f.bug ? `  ${f.bug}` : ''}`;
    const lines = [head, `  ${f.message}`, `  fix: ${f.fix}`];
    if (f.detail) lines.push(...clip(f.detail.trimEnd().split('\n')).map((l) => `    ${l}`));
    return lines.join('\n');
  });
  return `${[...blocks, summary(report)].join('\n\n')}\n`;
}

/** GitHub Actions workflow commands (`::error file=…,line=…::…`), then the summary as a plain line. */
export function formatGithub(report: CheckReport, options: { root: string; workspace: string }): string {
  const lines = report.findings.map((f) => {
    const file = path.relative(options.workspace, path.resolve(options.root, f.file)).split(path.sep).join('/');
    const properties = [`file=${escapeProperty(file)}`, ...(f.line ? [`line=${f.line}`] : []), `title=${escapeProperty(`bug-author ${f.kind}${f.bug ? ` (${f.bug})` : ''}`)}`];
    return `::${f.severity} ${properties.join(',')}::${escapeData(`${f.message}\nFix: ${f.fix}`)}`;
  });
  return `${[...lines, summary(report)].join('\n')}\n`;
}

/** One machine-readable report. */
export function formatJson(report: CheckReport): string {
  const { errors, warnings } = countBySeverity(report.findings);
  const { findings, ...facts } = report;
  return `${JSON.stringify({ ok: errors === 0, errors, warnings, ...facts, findings }, null, 2)}\n`;
}

function summary(report: CheckReport): string {
  const { errors, warnings } = countBySeverity(report.findings);
  const scope = report.checked === report.bugs ? `${report.bugs} bug${report.bugs === 1 ? '' : 's'}` : `${report.checked} of ${report.bugs} bugs`;
  const where = [report.staged ? 'staged' : '', report.since !== undefined ? `changed since ${report.since}` : ''].filter(Boolean).join(', ');
  const facts = `${scope}${where ? ` (${where})` : ''}${transferFacts(report)} · ${(report.ms / 1000).toFixed(2)} s · ${report.python ?? `Python ${report.pythonLoaded ? 'loaded' : 'not loaded'}`}`;
  if (report.findings.length === 0) return `✔ ${facts}: ${report.checked ? 'every JSON present, up to date and verified' : 'nothing to check'}`;
  const counts = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  return `${errors ? '✖' : '⚠'} ${counts} in ${facts}`;
}

/** ` · transfer: 9/14 to every student variant, 3 reference-bound` */
function transferFacts(report: CheckReport): string {
  if (report.transfer.length === 0) return '';
  const everywhere = report.transfer.filter((t) => t.worst === 'exact').length;
  const bound = report.transfer.filter((t) => t.referenceBound).length;
  const wrong = report.transfer.filter((t) => t.worst === 'wrong').length;
  return ` · transfer: ${everywhere}/${report.transfer.length} to every student variant${bound ? `, ${bound} reference-bound` : ''}${wrong ? `, ${wrong} wrong` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clip(lines: string[]): string[] {
  return lines.length <= DIFF_LINES ? lines : [...lines.slice(0, DIFF_LINES), `… ${lines.length - DIFF_LINES} more lines`];
}

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
