import type { TryCell, TryOutcome, TryReport } from './try-definitions.js';

const OUTCOMES: readonly TryOutcome[] = ['injected', 'no-match', 'broke', 'absent'];
const DIFF_LINES = 60;

/** One row per definition (counts per outcome), then every broken and unmatched case with its reason. */
export function formatTryText(report: TryReport, sizes: { definitions: number; files: number }): string {
  const bugs = [...new Set(report.cells.map((c) => c.bug))];
  const width = Math.max(10, ...bugs.map((b) => b.length));
  const lines = [`Trying ${sizes.definitions} definition${sizes.definitions === 1 ? '' : 's'} on ${sizes.files} student file${sizes.files === 1 ? '' : 's'}`, ''];
  lines.push(`${'definition'.padEnd(width)}  ${OUTCOMES.map((o) => o.padStart(8)).join('  ')}`);
  for (const bug of bugs) {
    const counts = countOutcomes(report.cells.filter((c) => c.bug === bug));
    lines.push(`${bug.padEnd(width)}  ${OUTCOMES.map((o) => String(counts[o]).padStart(8)).join('  ')}`);
  }
  const notable = report.cells.filter((c) => c.outcome === 'broke' || c.outcome === 'no-match' || c.alsoChanged || c.diff);
  if (notable.length) lines.push('');
  for (const cell of notable) {
    const mark = cell.outcome === 'broke' ? '✖' : cell.outcome === 'no-match' ? '•' : cell.alsoChanged ? '⚠' : '✔';
    lines.push(`${mark} ${cell.bug} × ${cell.file}: ${cell.outcome}${cell.reason ? ` — ${cell.reason}` : ''}`);
    if (cell.diff) lines.push(...clip(cell.diff.trimEnd().split('\n')).map((l) => `    ${l}`));
  }
  for (const { file, reason } of report.unparsable) lines.push(`⚠ ${file}: not valid Python (${reason}); the engine would inject nothing into it`);
  for (const { file, reason } of report.unreadable ?? []) lines.push(`⚠ ${file}: ${reason}; not tried`);
  const totals = countOutcomes(report.cells);
  // ✔ only when something was injected and nothing broke: a run where every file is a no-match proved nothing.
  const mark = totals.broke ? '✖' : totals.injected ? '✔' : '•';
  lines.push('', `${mark} ${OUTCOMES.map((o) => `${totals[o]} ${o}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function formatTryJson(report: TryReport): string {
  return `${JSON.stringify({ ok: !report.cells.some((c) => c.outcome === 'broke'), totals: countOutcomes(report.cells), ...report }, null, 2)}\n`;
}

function countOutcomes(cells: readonly TryCell[]): Record<TryOutcome, number> {
  const counts: Record<TryOutcome, number> = { injected: 0, 'no-match': 0, broke: 0, absent: 0 };
  for (const cell of cells) counts[cell.outcome]++;
  return counts;
}

function clip(lines: string[]): string[] {
  return lines.length <= DIFF_LINES ? lines : [...lines.slice(0, DIFF_LINES), `… ${lines.length - DIFF_LINES} more lines`];
}
