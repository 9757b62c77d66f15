import { userInfo } from 'node:os';

/** Who is reviewing: git `user.name` as seen from the project root, else the login name. */
export async function reviewerName(root: string): Promise<string> {
  try {
    const { simpleGit } = await import('simple-git');
    const name = (await simpleGit({ baseDir: root }).getConfig('user.name')).value?.trim();
    if (name) return name;
  } catch {
    // No git, or not a directory git can run in: the login name below.
  }
  return userInfo().username;
}
