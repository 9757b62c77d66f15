/** What a plugin threw, as one line for the bug's reason and the stack for `--verbose`. */
export interface PluginFault {
  message: string;
  stack?: string;
}

export function faultOf(err: unknown): PluginFault {
  if (err instanceof Error) {
    const message = err.message.trim() || err.name || 'an error without a message';
    return { message, ...(err.stack ? { stack: err.stack } : {}) };
  }
  if (typeof err === 'string' && err.trim()) return { message: err.trim() };
  let text: string;
  try {
    text = JSON.stringify(err) ?? String(err);
  } catch {
    text = String(err);
  }
  return { message: `threw a non-Error value: ${text.slice(0, 200)}` };
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
