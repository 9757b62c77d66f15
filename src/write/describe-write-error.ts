const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a file is in the way of a directory',
  EEXIST: 'a file is in the way of a directory',
  EISDIR: 'it is a directory',
};

/** Why a file or directory could not be written, in words (the errno code, when there is one, is the caller's to show). */
export function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code && WRITE_ERRORS[code]) ?? (err instanceof Error ? err.message : String(err));
}

