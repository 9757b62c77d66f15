import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { chromiumMissing, launchChromium } from '../test/support/browser.js';
import { printTable } from './bench-table.js';
import { copyCorpus, runCliProcess } from './bench-project.js';

/** Where the screenshots go: scratch/ (ignored by git), for a reader to look at. */
const SHOTS = path.join(packageRoot, 'scratch');

/**
 * The review studio on the corpus, after `build`: `bug-author review` until its URL, the page in
 * headless chromium until every bug is listed, one bug's detail; screenshots of both.
 */
export async function benchReview(): Promise<void> {
  if (chromiumMissing) {
    console.log(`\nreview: skipped (${chromiumMissing})`);
    return;
  }
  const { root, name } = copyCorpus('bug-author-bench-review-');
  await runCliProcess(['build', '--no-llm'], root);
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'bug-author.mjs'), 'review'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'inherit'] });
  const chromium = await launchChromium();
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`review exited ${code}`)));
    });
    const urlMs = performance.now() - started;
    const page = await chromium.browser.newPage();
    const opened = performance.now();
    await page.goto(url);
    await page.waitForSelector('#rows tr');
    const rows = await page.locator('#rows tr').count();
    const listMs = performance.now() - opened;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'review-studio.png') });
    const clicked = performance.now();
    await page.click('#rows tr:has-text("rope/wrong_rotation"), #rows tr:nth-child(1)');
    await page.waitForSelector('#detail .d2h-file-wrapper');
    const detailMs = performance.now() - clicked;
    await page.screenshot({ path: path.join(SHOTS, 'review-studio-detail.png') });
    const shots = ['review-studio.png', 'review-studio-detail.png'];
    // A bug v2.1 cannot express (its patch-only offer), and a variant the definition matches nothing in (why).
    const inexpressible = page.locator('#rows tr:has(.badge:text-is("v2.1 cannot express"))').first();
    if (await inexpressible.count()) {
      await inexpressible.click();
      await page.waitForSelector('#detail:not([data-loading]) #patch-only-form');
      await page.screenshot({ path: path.join(SHOTS, 'review-studio-patch-only.png') });
      await page.click('#patch-only-form button');
      await page.waitForSelector('#detail .flash');
      await page.screenshot({ path: path.join(SHOTS, 'review-studio-patch-only-accepted.png') });
      shots.push('review-studio-patch-only.png', 'review-studio-patch-only-accepted.png');
    }
    for (const row of await page.locator('#rows tr').all()) {
      await row.click();
      await page.waitForSelector('#detail:not([data-loading]) h2');
      const noMatch = page.locator('#detail table.variants tr:has(.badge:text-is("no-match")) button').first();
      if (!(await noMatch.count())) continue;
      await noMatch.click();
      await page.waitForSelector('#variant-view dl.explanation, #variant-view .d2h-file-wrapper');
      await page.locator('#variant-view').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'review-studio-no-match.png') });
      shots.push('review-studio-no-match.png');
      break;
    }
    printTable(`review (bug-author review on ${name}, page in headless chromium)`, ['step', 'time', 'note'], [
      ['URL printed (process start → first line)', `${Math.round(urlMs)} ms`, url.replace(/token=.*/, 'token=…')],
      ['page loaded, every bug listed', `${Math.round(listMs)} ms`, `${rows} rows`],
      ['one bug opened (patch, injections, variants)', `${Math.round(detailMs)} ms`, ''],
    ]);
    console.log(`screenshots: ${shots.map((shot) => path.relative(process.cwd(), path.join(SHOTS, shot))).join(', ')}${existsSync(SHOTS) ? '' : ' (not written)'}`);
  } finally {
    child.kill('SIGTERM');
    await chromium.close();
    rmSync(root, { recursive: true, force: true });
  }
}
