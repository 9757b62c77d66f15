// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { ReportingCommand, RunStart, BugDone, RunEnd, WatchEvent, Reporter } from '../contracts.js';

