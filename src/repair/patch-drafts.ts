// Moved to src/drafts/ (check lists drafts too, below repair/); re-exported where it was.
export { draftsDir, draftFileOf, hashText, writePatchDraft, readPatchDraft, listPatchDrafts, removePatchDraft, draftIsStale, describeDraft, type DraftTier, type DraftProvenance, type DraftVerification, type PatchDraft } from '../drafts/patch-drafts.js';
