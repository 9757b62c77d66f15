// Repair drafts in the review studio (headless chromium): a rotted patch's draft shown with its
// provenance and what it changes in the patch, accepted from the page as `refresh-patch --accept`
// accepts it, and refused for the reason the CLI gives (edits git has not committed).
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchChromium, startStudioCli } from '../support/browser.js';
import { runInProcess } from '../support/cli-run.js';
import { rottedBug, rottedProject } from '../support/rotted-project.js';

const ROTATE = rottedBug('rotate', 'wrong_sign');
const SILU = rottedBug('silu', 'no_multiply');
const row = (patch: string) => `#rows tr[data-key="${patch}"]`;

describe('repair drafts in the review studio', { skip: chromiumMissing }, () => {
  let root: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let studio: Awaited<ReturnType<typeof startStudioCli>>;
  let page: Page;

  before(async () => {
    root = rottedProject();
    // An edit git has not committed: its draft is current, but accepting would lose the old text.
    const silu = path.join(root, SILU);
    await writeFile(silu, (await readFile(silu, 'utf8')).replace('# BUG: the gate alone', '# BUG: only the gate'));
    const refreshed = await runInProcess(['refresh-patch'], root);
    assert.match(refreshed.stdout, /3 drafts written/, refreshed.stdout + refreshed.stderr);
    studio = await startStudioCli(['review'], root);
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
    await page.goto(studio.url);
    await page.waitForSelector(row(ROTATE));
  });

  after(async () => {
    await studio?.stop();
    await chromium?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('a draft shows its provenance and the old patch against the new one', async () => {
    assert.equal(await page.locator(`${row(ROTATE)} .badge:text-is("draft")`).count(), 1);
    await page.click(row(ROTATE));
    await page.waitForSelector('#detail:not([data-loading]) #accept-draft');
    const section = (await page.textContent('#detail section:has(#accept-draft)'))!;
    assert.match(section, /reanchor — re-anchored \(deterministic\) up to renamed locals/);
    assert.match(section, /x_rotated_even → x_rot_even/);
    assert.match(section, /verification\s*compiles exact with synth; transfer \d+\/\d+/);
    assert.match(section, /functions\s*rotate/);
    // The diff of the two patch texts: the old line goes, the re-anchored one comes.
    const diff = page.locator('#detail section:has(#accept-draft) .d2h-file-wrapper').first();
    assert.match((await diff.textContent())!, /x_rotated_even = x_even \* cos_selected[\s\S]*x_rot_even/);
  });

  test('Accept draft replaces the patch with the draft, as refresh-patch --accept does', async () => {
    const draftFile = path.join(root, '.bug-author', 'drafts', ROTATE);
    const draftText = await readFile(draftFile, 'utf8');
    await page.click(row(ROTATE));
    await page.waitForSelector('#detail:not([data-loading]) #accept-draft');
    await page.click('#accept-draft');
    await page.waitForSelector('#detail .flash:has-text("replaced by its draft")');
    assert.equal(await readFile(path.join(root, ROTATE), 'utf8'), draftText);
    assert.equal(existsSync(draftFile), false, 'the draft is gone once accepted');
    await page.waitForSelector(`${row(ROTATE)}:not(:has(.badge:text-is("draft")))`);
  });

  test('a patch with edits git has not committed: accepting is refused with the reason, and nothing changes', async () => {
    const before = await readFile(path.join(root, SILU), 'utf8');
    await page.click(row(SILU));
    await page.waitForSelector('#detail:not([data-loading]) #accept-draft');
    await page.click('#accept-draft');
    await page.waitForSelector('#draft-message.problem');
    assert.match((await page.textContent('#draft-message'))!, /Not accepted: the patch has edits git has not committed, so its old text would be lost; commit it first/);
    assert.equal(await readFile(path.join(root, SILU), 'utf8'), before);
  });
});
