// The page's rows come from the public `check` (run with requireReview): the findings of every
// bug as a reporter receives them, and the transfer of every exact JSON.
import { check } from '../api/check.js';
import type { BugRef, BugTransfer, Finding } from '../contracts.js';
import type { Reporter } from '../contracts.js';

export interface ProjectCheck {
  root: string;
  bugs: BugRef[];
  findings: Map<string, Finding[]>;
  transfer: Map<string, BugTransfer>;
}

/** Where the project is, as the public API takes it. */
export interface ProjectLocation {
  cwd: string;
  configFile?: string;
  env: NodeJS.ProcessEnv;
}

/** Every bug's findings (by patch file) and transfer (by bug id), review findings included. */
export async function checkProject(location: ProjectLocation): Promise<ProjectCheck> {
  const bugs: BugRef[] = [];
  const findings = new Map<string, Finding[]>();
  const collector: Reporter = {
    name: 'review-studio',
    onRunStart: (run) => void bugs.push(...run.bugs),
    onBugDone: (done) => void (done.command === 'check' && findings.set(done.bug.patchFile, [...done.findings])),
  };
  const report = await check({ ...location, requireReview: true, ci: false, reporters: [collector] });
  // Findings made after the bugs were judged (a repair draft waiting) reach the report, not a bug's hook.
  const patchOf = new Map(bugs.map((b) => [b.id, b.patchFile]));
  for (const finding of report.findings) {
    const patch = finding.bug === undefined ? undefined : patchOf.get(finding.bug);
    const known = patch === undefined ? undefined : (findings.get(patch) ?? []);
    if (known && !known.some((f) => JSON.stringify(f) === JSON.stringify(finding))) findings.set(patch!, [...known, finding]);
  }
  return { root: report.root, bugs, findings, transfer: new Map(report.transfer.map((t) => [t.bug, t])) };
}
