import type { ProjectFiles } from '../files/project-files.js';
import { openBlobReader, type BlobReader } from './blob-reader.js';
import { readIndex, type GitRepository, type IndexEntry } from './git-repository.js';

/** The staged snapshot as ProjectFiles: what `git commit` would record, not what is on disk. */
export interface GitIndexFiles extends ProjectFiles {
  /** Every staged file under the project root (absolute paths). */
  readonly paths: ReadonlyMap<string, IndexEntry>;
  /** Stops the blob reader; reads fail afterwards. */
  close(): void;
}

const REGULAR_FILE = /^100(644|755)$/;

/** Lists the index once (`git ls-files --stage`), then reads blobs on demand, each at most once. */
export async function openGitIndexFiles(repo: GitRepository): Promise<GitIndexFiles> {
  const paths = await readIndex(repo);
  let reader: BlobReader | undefined;
  const blobs = new Map<string, Promise<Buffer>>();
  const regular = (file: string) => {
    const entry = paths.get(file);
    return entry && REGULAR_FILE.test(entry.mode) ? entry : undefined;
  };
  return {
    paths,
    async read(file) {
      const entry = regular(file);
      if (!entry) return undefined;
      let bytes = blobs.get(entry.blob);
      if (!bytes) blobs.set(entry.blob, (bytes = (reader ??= openBlobReader(repo.root)).read(entry.blob)));
      return bytes;
    },
    async isFile(file) {
      return regular(file) !== undefined;
    },
    close() {
      reader?.close();
    },
  };
}
