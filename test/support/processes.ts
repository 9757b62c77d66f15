import { readdirSync } from 'node:fs';
import { isProcessAlive } from '../../src/process/process-alive.js';
import { readProcCommandLine, readProcStat } from '../../src/process/proc-stat.js';

export interface ProcessEntry {
  pid: number;
  state: string;
  command: string;
}

/** The children of `parent` as /proc shows them (Linux), zombies included; undefined elsewhere. */
export function childProcesses(parent = process.pid): ProcessEntry[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = readProcStat(pid);
    if (stat?.ppid !== parent) continue;
    out.push({ pid, state: stat.state, command: readProcCommandLine(pid) ?? '' });
  }
  return out;
}

/** Whether a process with this pid exists (and is not a zombie we could see). */
export function processExists(pid: number): boolean {
  return isProcessAlive(pid) && readProcStat(pid)?.state !== 'Z';
}

export async function waitUntil(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
