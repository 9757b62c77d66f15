import { readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat that bug-author reads. */
export interface ProcStat {
  /** R, S, D, Z (zombie)… */
  state: string;
  ppid: number;
  /** When the process started, in clock ticks after boot (field 22). */
  startTicks: string;
}

/** /proc/<pid>/stat (Linux); undefined elsewhere, or when the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  if (process.platform !== 'linux') return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // pid (comm) state ppid …: the command name may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, ppid] = fields;
  const startTicks = fields[19];
  return state && ppid && startTicks ? { state, ppid: Number(ppid), startTicks } : undefined;
}

/** The command line of a process (Linux), its arguments joined by spaces; undefined when unknown. */
export function readProcCommandLine(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}
