// The page's view of the project comes from `check` (run with requireReview): one adapter, so
// the studio depends on check's report and nothing of how check works.
import { createContentCache } from '../cache/content-cache.js';
import { collectFindings, type BugTransfer } from '../check/collect-findings.js';
import type { Finding } from '../check/finding.js';
import type { Project } from '../commands/project-context.js';
import type { BugRef } from '../discover/bug-ref.js';

export interface ProjectCheck {
  bugs: BugRef[];
  findings: Map<string, Finding[]>;
  transfer: Map<string, BugTransfer>;
}

/** Every bug's findings (by patch file) and transfer (by bug id), review findings included. */
export async function checkProject(project: Pick<Project, 'config' | 'python' | 'engine'>): Promise<ProjectCheck> {
  const bugs: BugRef[] = [];
  const findings = new Map<string, Finding[]>();
  const report = await collectFindings(
    project.config,
    { staged: false, ci: false, requireReview: true },
    { python: project.python, cache: createContentCache(project.config.cacheDir), ...('judge' in project.engine ? { judge: project.engine.judge } : {}) },
    {
      onStart: (found) => void bugs.push(...found),
      onBug: (bug, found) => void findings.set(bug.patchFile, [...found]),
    },
  );
  return { bugs, findings, transfer: new Map(report.transfer.map((t) => [t.bug, t])) };
}
