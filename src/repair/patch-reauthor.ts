// The re-authoring contract moved to the contracts module (src/contracts.ts); re-exported where it was.
export type { PatchReauthor, ReauthorContext, ReauthorRequest, ReauthorResult } from '../contracts.js';
