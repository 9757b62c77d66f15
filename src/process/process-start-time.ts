import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * When the process with this pid started, as an opaque string that only has to compare equal
 * for the same process: a pid recorded in a lock may since belong to an unrelated process.
 * Linux: boot id + start time in clock ticks (/proc); elsewhere `ps -o lstart=`; undefined when
 * the process does not exist or neither source answers.
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) return undefined;
    // Fields after the command name (which may hold spaces and parentheses); starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
    return ticks ? `linux:${boot}:${ticks}` : undefined;
  }
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }, (error, stdout) => {
      const text = stdout?.trim();
      resolve(!error && text ? `ps:${text}` : undefined);
    });
  });
}

/** The command line of a running process (Linux), to recognise a bug-author watch; undefined when unknown. */
export async function processCommandLine(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return undefined;
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return raw?.split('\0').join(' ').trim();
}
