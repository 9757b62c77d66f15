// Moved to src/project/ (the watch daemon and the public API load projects too); re-exported for the commands.
export { loadProject, type Project } from '../project/load-project.js';
