// Moved to src/files/ (patch/ and git/ read project files too, below inputs/); re-exported where it was.
export { workingTreeFiles, workingTreeForOneRun, type ProjectFiles } from '../files/project-files.js';
