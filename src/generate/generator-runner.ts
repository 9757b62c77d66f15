import { stableStringify } from '../cache/hash.js';
import type { BugDefinition } from '../injector/definition.js';
import type { Verification } from '../verify/verify-definition.js';
import { boundedCall } from './bounded-call.js';
import { kindOf, type Availability, type BugContext, type GenerationUsage, type GeneratorContext, type GeneratorPlugin, type GeneratorResult, type PluginSetupContext } from './generator.js';
import { formatDuration } from './plugin-errors.js';
import { addUsage, emptyUsage } from './usage.js';

/** Default time one generate() call may take for one bug: LLM generators wait on servers, the others compute. */
export const DEFAULT_TIMEOUT_MS = { llm: 600_000, other: 120_000 } as const;

export interface GeneratorRunnerOptions {
  /** Passed to every plugin's setup(). */
  setup: PluginSetupContext;
  /** Config `generatorTimeoutMs`: the limit for generators that declare none. */
  timeoutMs?: number;
  /** Problems that belong to no bug (a close() that threw). */
  warn?: (message: string) => void;
}

/**
 * The one place plugin code is called, for build and watch alike: the chain in config order,
 * each plugin set up once (lazily, before its first bug) and closed at the end; whatever a
 * hook throws, rejects with or never returns becomes that bug's failure, labelled with the
 * plugin's name, and the run goes on.
 */
export interface GeneratorRunner {
  /** The chain, in config order. */
  readonly generators: readonly GeneratorPlugin[];
  /** Sets the plugin up (once per run) and asks whether it can run. Never throws. */
  prepare(plugin: GeneratorPlugin): Promise<Availability>;
  /** One generate() call, bounded by the plugin's timeout and the context's signal. Never throws. */
  generate(plugin: GeneratorPlugin, bug: BugContext, context: GeneratorContext): Promise<GeneratorResult>;
  timeoutOf(plugin: GeneratorPlugin): number;
  /** Calls, tokens and cost of the `kind: 'llm'` plugins. */
  llmUsage(): GenerationUsage;
  /** Closes every plugin that was set up; the runner is not used afterwards. */
  close(): Promise<void>;
}

export function createGeneratorRunner(generators: readonly GeneratorPlugin[], options: GeneratorRunnerOptions): GeneratorRunner {
  const setups = new Map<GeneratorPlugin, Promise<Availability>>();
  const timeoutOf = (plugin: GeneratorPlugin) =>
    validTimeout(plugin.timeoutMs) ?? options.timeoutMs ?? (kindOf(plugin) === 'llm' ? DEFAULT_TIMEOUT_MS.llm : DEFAULT_TIMEOUT_MS.other);

  const setUp = async (plugin: GeneratorPlugin): Promise<Availability> => {
    if (plugin.setup) {
      const settled = await boundedCall(() => plugin.setup!(options.setup), { timeoutMs: timeoutOf(plugin), ...signalOf(options.setup) });
      if (settled.state === 'threw') return { ok: false, reason: `setup failed: ${settled.fault.message}` };
      if (settled.state === 'timed-out') return { ok: false, reason: `setup did not finish within ${formatDuration(settled.timeoutMs)}` };
      if (settled.state === 'cancelled') return { ok: false, reason: 'cancelled' };
    }
    try {
      const availability = plugin.available?.() ?? { ok: true };
      return availability && typeof availability.ok === 'boolean' ? availability : { ok: false, reason: 'available() returned no { ok } answer' };
    } catch (err) {
      return { ok: false, reason: `available() failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  };

  return {
    generators,
    timeoutOf,
    prepare(plugin) {
      let setup = setups.get(plugin);
      if (!setup) setups.set(plugin, (setup = setUp(plugin)));
      return setup;
    },
    async generate(plugin, bug, context) {
      const timeoutMs = timeoutOf(plugin);
      // The plugin's verify() calls are remembered: a definition it proved `exact` needs no second
      // check, and keeps the verification it got (transfer included), whatever the plugin reports.
      const proved = new Map<string, Verification>();
      const settled = await boundedCall(
        (signal) =>
          plugin.generate(bug, {
            ...context,
            signal,
            verify: async (definition) => {
              const verification = await context.verify(definition);
              if (verification.verdict === 'exact') proved.set(stableStringify(definition), verification);
              return verification;
            },
          }),
        { timeoutMs, ...(context.signal ? { signal: context.signal } : {}) },
      );
      switch (settled.state) {
        case 'cancelled':
          return { status: 'failed', reason: 'cancelled', retryable: true };
        case 'timed-out':
          return { status: 'failed', reason: `gave no result within ${formatDuration(timeoutMs)} (its time limit: the plugin's timeoutMs, else config generatorTimeoutMs)`, retryable: true };
        case 'threw':
          return { status: 'failed', reason: settled.fault.message, retryable: true, ...(settled.fault.stack ? { stack: settled.fault.stack } : {}) };
        case 'done':
          return checkedResult(settled.value, proved, context);
      }
    },
    llmUsage() {
      const total = emptyUsage();
      for (const plugin of generators) {
        if (kindOf(plugin) !== 'llm' || !plugin.usage) continue;
        try {
          addUsage(total, plugin.usage());
        } catch {
          // A usage() that throws only leaves its numbers out of the summary.
        }
      }
      return total;
    },
    async close() {
      const started = [...setups.keys()];
      setups.clear();
      await Promise.all(
        started.map(async (plugin) => {
          if (!plugin.close) return;
          const settled = await boundedCall(() => plugin.close!(), { timeoutMs: 10_000 });
          if (settled.state === 'threw') options.warn?.(`generator ${plugin.name}: close() failed: ${settled.fault.message}`);
          if (settled.state === 'timed-out') options.warn?.(`generator ${plugin.name}: close() did not finish within 10 s`);
        }),
      );
    },
  };
}

function signalOf(setup: PluginSetupContext): { signal?: AbortSignal } {
  return setup.signal ? { signal: setup.signal } : {};
}

function validTimeout(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * A plugin's answer, trusted only as far as it can be: a malformed result is a failure, and a
 * `generated` definition the plugin did not prove `exact` through context.verify() is verified here,
 * and the verification it carries is always ours, never the plugin's own (which could drop the transfer).
 */
async function checkedResult(value: unknown, proved: ReadonlyMap<string, Verification>, context: GeneratorContext): Promise<GeneratorResult> {
  const result = value as Partial<GeneratorResult> | undefined;
  const invalid = (why: string): GeneratorResult => ({ status: 'failed', reason: `returned an invalid result: ${why}`, retryable: true });
  if (!result || typeof result !== 'object') return invalid(`expected an object with a status, got ${value === undefined ? 'nothing' : typeof value}`);
  switch (result.status) {
    case 'unsupported':
    case 'failed': {
      const reason = typeof result.reason === 'string' && result.reason.trim() ? result.reason : `${result.status} without a reason`;
      const draft = result.status === 'failed' && isDraft(result.draft) ? { draft: result.draft } : {};
      const { draft: _draft, ...rest } = result as GeneratorResult & { draft?: unknown };
      return { ...rest, ...draft, reason } as GeneratorResult;
    }
    case 'generated': {
      if (!result.definition || typeof result.definition !== 'object') return invalid("status 'generated' without a definition");
      const definition = result.definition as BugDefinition;
      const verification = proved.get(stableStringify(definition)) ?? (await context.verify(definition));
      if (verification.verdict !== 'exact') {
        return { status: 'failed', reason: `its definition verifies as ${verification.verdict}${verification.reason ? `: ${verification.reason}` : ''}`, draft: { definition, verification } };
      }
      return { ...(result as GeneratorResult & { status: 'generated' }), verification };
    }
    default:
      return invalid(`unknown status ${JSON.stringify(result.status)}`);
  }
}

function isDraft(draft: unknown): draft is { definition: BugDefinition; verification: Verification } {
  const d = draft as { definition?: unknown; verification?: { verdict?: unknown } } | undefined;
  return !!d && typeof d.definition === 'object' && d.definition !== null && typeof d.verification?.verdict === 'string';
}
