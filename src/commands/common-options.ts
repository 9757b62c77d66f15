import type { OptionSpec } from './command-spec.js';

/** Options several commands share, declared once. */
export const projectOptions = {
  config: { type: 'string', valueHint: 'file', description: 'use this config file instead of searching upwards' },
  cwd: { type: 'string', valueHint: 'dir', description: 'run as if started in <dir>' },
} as const satisfies Record<string, OptionSpec>;

export const BUILT_IN_REPORTERS = ['default', 'junit'] as const;

export const reporterOptions = {
  reporter: {
    type: 'string',
    valueHint: 'name',
    multiple: true,
    choices: BUILT_IN_REPORTERS,
    description: 'also report to this reporter; `junit` writes JUnit XML to --output-file (the terminal output, `default`, always runs)',
  },
  'output-file': { type: 'string', valueHint: 'file', description: 'where a file reporter (junit) writes' },
} as const satisfies Record<string, OptionSpec>;

export const generationOptions = {
  llm: { type: 'boolean', default: true, description: 'skip every LLM generator (`kind: \'llm\'`): deterministic generators only' },
  'llm-timeout': {
    type: 'string',
    valueHint: 'seconds',
    description: 'per-request timeout of the built-in LLM generator (config llm.timeoutMs; default 60, each request tried up to 3 times)',
  },
  verbose: { type: 'boolean', description: 'show the stack of whatever a plugin threw, which Python served (CPython or pyodide, and why) and what the engine judge did' },
} as const satisfies Record<string, OptionSpec>;
