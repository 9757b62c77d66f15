import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readProcStat } from './proc-stat.js';

/**
 * When the process with this pid started, as an opaque string that only has to compare equal
 * for the same process: a pid recorded in a lock may since belong to an unrelated process.
 * Linux: boot id + start time in clock ticks (/proc); elsewhere `ps -o lstart=`; undefined when
 * the process does not exist or neither source answers.
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    const stat = readProcStat(pid);
    if (stat === undefined) return undefined;
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
    return `linux:${boot}:${stat.startTicks}`;
  }
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }, (error, stdout) => {
      const text = stdout?.trim();
      resolve(!error && text ? `ps:${text}` : undefined);
    });
  });
}
