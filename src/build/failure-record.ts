// Moved to src/cache/ (check reads what build records, so neither may own it); re-exported where it was.
export { lastBuildFailure, recordBuildFailure, type FailureRecord } from '../cache/failure-record.js';
