import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
export const CHROMIUM = process.env.BUG_AUTHOR_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumMissing = existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM} (apt-get install -y chromium)`;

/**
 * One headless chromium with a fresh profile (its --user-data-dir), shared by a test file's
 * tests; close() ends it and removes the profile.
 */
export async function launchChromium(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'bug-author-chromium-'));
  // Playwright passes the profile as --user-data-dir itself.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * `bug-author <args>` (review, watch --ui) run in this process until stop(): its first line,
 * the studio's URL, once printed.
 */
export async function startStudioCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stdout: () => string; stop(): Promise<number> }> {
  const { runCli } = await import('../../src/cli.js');
  const { pythonChoiceEnv } = await import('./cli-run.js');
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const running = runCli(args, { cwd, env: { ...pythonChoiceEnv(), ...env }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), signal: controller.signal });
  let exited = false;
  void running.then(() => (exited = true));
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('\n')) {
    if (exited || Date.now() > deadline) throw new Error(`bug-author ${args.join(' ')} printed no URL; stderr:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: stdout.split('\n')[0]!,
    stdout: () => stdout,
    stop() {
      controller.abort();
      return running;
    },
  };
}
