// Moved to src/drafts/ (check lists drafts too, below repair/); re-exported where it was.
export { draftStatuses, type DraftStatus } from '../drafts/current-drafts.js';
