import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands, runCli, topLevelUsage } from '../../src/cli.js';
import type { CommandGroupSpec, CommandSpec, DefinedCommand, OptionSpecs } from '../../src/commands/command-spec.js';
import { defineCommand, flagOf, parseCommandLine } from '../../src/commands/define-command.js';
import { UsageError } from '../../src/errors.js';
import { runInProcess } from '../support/cli-run.js';

// Each command is declared once; its parser, its --help and the command list all come from that.

/** Every runnable command spec, subcommands included, with its full name. */
function allSpecs(): { fullName: string; spec: CommandSpec<OptionSpecs> }[] {
  return (commands as DefinedCommand[]).flatMap((command) => {
    if ('subcommands' in command.spec) {
      const group = command.spec as CommandGroupSpec;
      return group.subcommands.map((sub) => ({ fullName: `${group.name} ${sub.name}`, spec: sub.spec as CommandSpec<OptionSpecs> }));
    }
    return [{ fullName: command.name, spec: command.spec as CommandSpec<OptionSpecs> }];
  });
}

/** An argument list giving the option a value the spec accepts. */
function argsFor(name: string, spec: CommandSpec<OptionSpecs>): string[] {
  const option = spec.options[name]!;
  const required = Object.entries(spec.options).flatMap(([n, o]) => (o.required && n !== name ? [`--${n}`, 'x'] : []));
  if (option.type === 'boolean') return [flagOf(name, option), ...required];
  return [`--${name}`, option.choices?.[0] ?? '1', ...required];
}

test('every option in a spec is in its --help, and the parser accepts exactly what --help shows', async () => {
  const specs = allSpecs();
  assert.deepEqual(specs.map((s) => s.fullName).sort(), ['build', 'check', 'hook install', 'inject', 'refresh-patch', 'relocate-sources', 'review', 'try', 'watch']);
  for (const { fullName, spec } of specs) {
    const help = await runInProcess([...fullName.split(' '), '--help'], process.cwd());
    assert.equal(help.code, 0, fullName);
    assert.match(help.stdout, new RegExp(`^Usage: bug-author ${fullName}`), fullName);
    const optionsSection = help.stdout.split('\nOptions:\n')[1]!.split('\n\n')[0]!;
    const shownFlags = new Set(optionsSection.split('\n').flatMap((line) => line.match(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/)?.slice(1) ?? []));
    const declared = new Set([...Object.entries(spec.options).map(([n, o]) => flagOf(n, o)), '--help']);
    for (const flag of declared) assert.ok(shownFlags.has(flag), `${fullName} --help shows ${flag}`);
    for (const flag of shownFlags) {
      if (flag === '--help') continue;
      const name = flag.replace(/^--(no-)?/, '');
      assert.ok(name in spec.options, `${fullName} --help shows ${flag}, which the parser knows`);
      const parsed = parseCommandLine(spec, argsFor(name, spec), fullName);
      assert.notEqual(parsed, 'help');
      const value = parsed !== 'help' ? parsed.options[name] : undefined;
      const option = spec.options[name]!;
      assert.deepEqual(value, option.type === 'boolean' ? option.default !== true : option.multiple ? [option.choices?.[0] ?? '1'] : (option.choices?.[0] ?? '1'), `${fullName} ${flag}`);
    }
    for (const [code, meaning] of Object.entries(spec.exitCodes)) assert.ok(help.stdout.includes(`${code} ${meaning}`), `${fullName} documents exit ${code}`);
  }
});

test('a new option is one declaration: help, parsing, choices and required checks follow from it', async () => {
  const outputs: string[] = [];
  const io = { cwd: '/', env: {}, stdout: (t: string) => void outputs.push(t), stderr: (t: string) => void outputs.push(t) };
  const seen: unknown[] = [];
  const command = defineCommand({
    name: 'demo',
    summary: 'a demo',
    description: 'Shows the spec at work.',
    positionals: [{ name: 'file', description: 'one file' }],
    options: {
      level: { type: 'string', valueHint: 'n', choices: ['low', 'high'], required: true, description: 'how much' },
      dry: { type: 'boolean', short: 'n', description: 'change nothing' },
    },
    exitCodes: { 0: 'done' },
    run: async (args) => {
      seen.push(args);
      return 0;
    },
  });
  assert.equal(await command.run(['--help'], io), 0);
  assert.match(outputs.join(''), /Usage: bug-author demo <file> --level <n> \[options\]/);
  assert.match(outputs.join(''), /-n, --dry +change nothing/);
  assert.match(outputs.join(''), /--level <n> +how much \(one of: low, high\)/);
  assert.equal(await command.run(['a.txt', '--level', 'high', '-n'], io), 0);
  assert.deepEqual(seen, [{ options: { level: 'high', dry: true }, positionals: ['a.txt'] }]);
  await assert.rejects(command.run(['a.txt'], io), (e: Error) => e instanceof UsageError && /--level is required/.test(e.message));
  await assert.rejects(command.run(['a.txt', '--level', 'max'], io), /must be one of low, high \(got max\)/);
  await assert.rejects(command.run(['a.txt', 'b.txt', '--level', 'low'], io), /unexpected argument 'b\.txt'/);
  await assert.rejects(command.run(['--level', 'low', '--frobnicate'], io), /Unknown option '--frobnicate'/);
});

test('the command list is derived from the specs; hook install is a real subcommand', async () => {
  const top = topLevelUsage();
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const command of commands) assert.ok(top.includes(`${command.name.padEnd(width)}  ${command.summary}`), command.name);
  const hookHelp = await runInProcess(['hook', '--help'], process.cwd());
  assert.equal(hookHelp.code, 0);
  assert.match(hookHelp.stdout, /hook install +write \.git\/hooks\/pre-commit/);
  const bare = await runInProcess(['hook'], process.cwd());
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /a subcommand is needed \(expected `hook install`\)/);
  const io = { cwd: '/', env: {}, stdout: () => {}, stderr: () => {} };
  assert.equal(await runCli(['hook', 'install', '--bogus'], io), 2);
});
