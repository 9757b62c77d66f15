import { setMaxListeners } from 'node:events';
import { constants } from 'node:os';
import { runCli } from './cli.js';
import { sharedPythonRuntimes } from './python/runtime.js';
import { describeBackend } from './report/format-python-report.js';

const controller = new AbortController();
// Every bug in flight (and every queued LLM request) listens to this signal.
setMaxListeners(0, controller.signal);
let stoppedBy: NodeJS.Signals | undefined;
const stop = (signal: NodeJS.Signals) => {
  // A second signal ends at once, with the shell's 128 + signal number.
  if (stoppedBy) process.exit(128 + constants.signals[signal]);
  stoppedBy = signal;
  controller.abort(signal);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});

// No CPython worker outlives the command (it reports its peak RSS as it ends).
const pythons = sharedPythonRuntimes();
await pythons.close();

// For benchmarks: whether Python was started and which, and the peak RSS (this process, and the CPython worker's), on one line.
if (process.env.BUG_AUTHOR_TRACE) {
  const started = pythons.loaded();
  const trace = {
    pythonLoaded: started.length > 0,
    python: started.map(describeBackend).join(', ') || null,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    workerMaxRssMb: started.reduce((sum, b) => sum + (b.workerPeakRssMb ?? 0), 0),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  };
  process.stderr.write(`bug-author-trace ${JSON.stringify(trace)}\n`);
}
process.exitCode = code;
// A plugin that left a timer or a socket open (a generator past its time limit) must not keep the CLI alive.
setTimeout(() => process.exit(code), 2000).unref();
