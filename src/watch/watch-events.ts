// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { WatchOutcome, WatchNotice, WatchReady } from '../contracts.js';

