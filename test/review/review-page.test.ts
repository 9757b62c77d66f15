// The review studio in a real browser (Debian's chromium through playwright-core), served by
// `bug-author watch --ui` running in this process on a small curriculum in a git repository.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, startStudioCli } from '../support/browser.js';
import { ALWAYS_LIMIT, curriculumRepo, DEFINITIONS, NO_DIVIDE, NO_FACTOR, PATCHES, type CurriculumRepo } from '../support/git-fixture.js';

const row = (bug: { patch: string }) => `#rows tr[data-key="${bug.patch}"]`;
const STUDENT = `def scale(value, k):
    return value * k


def mean(xs):
    s = sum(xs)
    return s / len(xs)
`;

describe('review studio in chromium', { skip: chromiumMissing }, () => {
  let repo: CurriculumRepo;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: BrowserContext;
  let page: Page;
  let url: string;
  let studio: Awaited<ReturnType<typeof startStudioCli>>;

  before(async () => {
    repo = await curriculumRepo();
    studio = await startStudioCli(['watch', '--ui', '--no-llm', '--debounce', '30'], repo.root);
    url = studio.url;
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage();
  });

  after(async () => {
    await studio?.stop();
    await chromium?.close();
  });

  test('the URL is the first line; without the token the page is refused; with it every bug is listed with its verdict', async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/);
    const refused = await page.goto(url.replace(/\?token=.*/, ''));
    assert.equal(refused?.status(), 401);
    const wrong = await page.goto(url.replace(/token=.*/, 'token=guess'));
    assert.equal(wrong?.status(), 403);

    await page.goto(url);
    await page.waitForSelector(`${row(ALWAYS_LIMIT)}`);
    const rows = await page.$$eval('#rows tr', (trs) => trs.map((tr) => [tr.querySelector('.bug-id')!.textContent, tr.querySelector('td .badge')!.textContent]));
    assert.deepEqual(rows.sort(), [
      ['ops/always_limit', 'exact'],
      ['ops/no_divide', 'exact'],
      ['ops/no_factor', 'exact'],
    ]);
    await page.waitForSelector('#connection.live');
  });

  test('filters narrow the list; j/k move, enter opens', async () => {
    await page.click('[data-filter="failed"]');
    assert.equal(await page.locator('#rows tr').count(), 0);
    assert.equal(await page.isVisible('#empty'), true);
    await page.click('[data-filter="unreviewed"]');
    assert.equal(await page.locator('#rows tr').count(), 3);
    await page.click('[data-filter="all"]');
    const selected = () => page.$eval('#rows tr.selected .bug-id', (e) => e.textContent);
    const first = await selected();
    await page.keyboard.press('j');
    const second = await selected();
    assert.notEqual(second, first);
    await page.keyboard.press('k');
    assert.equal(await selected(), first);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#detail h2:has-text("${second}")`);
  });

  test("a bug's diffs: its patch, the injection into the reference, and one into a student-style variant", async () => {
    await page.click(row(NO_FACTOR));
    await page.waitForSelector('#detail h2:has-text("ops/no_factor")');
    await page.waitForSelector('#detail .d2h-file-wrapper');
    const detail = await page.textContent('#detail');
    assert.match(detail!, /scale\(\) returns its input unchanged/, 'the symptom');
    assert.match(detail!, /Injected = patched: identical programs/);
    assert.match(detail!, /return x \* factor/, 'the diff shows the changed line');
    await page.click('#detail button[data-variant="renamed-locals"]');
    await page.waitForSelector('#variant-view h3:has-text("renamed-locals variant")');
    assert.match((await page.textContent('#variant-view'))!, /exact|no-match|differs/);
    assert.ok((await page.locator('#detail pre code.hljs .hljs-attr').count()) > 0, 'the JSON is highlighted');
  });

  test('approving (key a) records the review in the JSON: reviewer, output hash; the definition is unchanged', async () => {
    const before = JSON.parse(await repo.read(NO_FACTOR.json)) as { logic: unknown };
    await page.click(row(NO_FACTOR));
    await page.waitForSelector('#detail:not([data-loading]) #review-form');
    await page.fill('#review-form textarea', 'pins the site');
    await page.locator('#detail h2').click(); // leave the note field, so the key reaches the page
    await page.keyboard.press('a');
    await page.waitForSelector(`${row(NO_FACTOR)} .badge:has-text("approved")`);
    const after = JSON.parse(await repo.read(NO_FACTOR.json)) as { logic: unknown; metadata: { bug_author: { review: Record<string, unknown>; output_hash: string } } };
    assert.deepEqual(after.logic, before.logic);
    const { review } = after.metadata.bug_author;
    assert.equal(review.reviewer, 'Test', 'git user.name');
    assert.equal(review.status, 'approved');
    assert.equal(review.note, 'pins the site');
    assert.equal(review.output_hash, after.metadata.bug_author.output_hash);
    assert.deepEqual(review.answers, { pattern: 'yes', replacement: 'yes', symptom: 'yes', ready: 'yes' });
    const check = await repo.cli(['check', '--format', 'json', '--require-review']);
    const findings = (JSON.parse(check.stdout) as { findings: Array<{ kind: string; bug: string }> }).findings;
    assert.deepEqual(findings.filter((f) => f.kind === 'unreviewed').map((f) => f.bug).sort(), [ALWAYS_LIMIT.id, NO_DIVIDE.id]);
  });

  test('a pasted student file: what the engine would hand that student, per definition', async () => {
    await page.click('#open-try');
    await page.fill('#paste', STUDENT);
    await page.click('#run-try');
    await page.waitForSelector('#try-results details[data-bug="ops/no_factor"]');
    const text = await page.textContent('#try-results');
    assert.match(text!, /ops\/no_factor.*1 injected/s);
    assert.match(text!, /ops\/always_limit.*1 absent/s, 'no clip() in that file');
    assert.ok((await page.locator('#try-results details[data-bug="ops/no_factor"] .d2h-file-wrapper').count()) > 0, 'a diff of what the student gets');
    await page.click('#try button[aria-label="close"]');
  });

  test('a patch edited on disk changes its row live: a broken patch shows its error in place, a new definition makes the review stale', async () => {
    await page.click(row(NO_FACTOR));
    await page.waitForSelector('#review-form');
    const original = PATCHES[NO_FACTOR.patch]!;
    const reviewed = JSON.parse(await repo.read(NO_FACTOR.json)) as { logic: unknown };
    await writeFile(repo.abs(NO_FACTOR.patch), original.replace('-    return x * factor', '-    return x ** factor'));
    await page.waitForSelector(`${row(NO_FACTOR)} .badge:has-text("input-error")`, { timeout: 15_000 });
    await page.waitForSelector('#detail .problem:has-text("ops.py")');

    await writeFile(repo.abs(NO_FACTOR.patch), original.replace('+    return x  # BUG: the factor is ignored', '+    return factor  # BUG: x is ignored'));
    await page.waitForSelector(`${row(NO_FACTOR)} td:nth-child(4) .badge:has-text("stale")`, { timeout: 15_000 });
    await page.waitForSelector('#detail .problem:has-text("STALE")');
    const rebuilt = JSON.parse(await readFile(repo.abs(NO_FACTOR.json), 'utf8')) as { logic: unknown; metadata: { bug_author: { review?: { reviewer: string } } } };
    assert.notDeepEqual(rebuilt.logic, reviewed.logic, 'watch rebuilt it');
    assert.equal(rebuilt.metadata.bug_author.review?.reviewer, 'Test', 'the review stays, stale');
  });

  test('a no-match says why in place: the pass that found nothing, what it looks for, what is missing, the nearest line', async () => {
    // A hand-written JSON whose site no longer matches the reference (the operator is another).
    const wrong = structuredClone(DEFINITIONS.noDivide);
    (wrong.logic[0]!.pattern as { op: string }).op = 'FloorDiv';
    await writeFile(repo.abs(NO_DIVIDE.json), `${JSON.stringify(wrong, null, 2)}\n`);
    await page.waitForSelector(`${row(NO_DIVIDE)} .badge:text-is("no-match")`, { timeout: 15_000 });
    await page.click(row(NO_DIVIDE));
    await page.waitForSelector('#detail:not([data-loading]) section:has(h3:text-is("Injected into the reference")) dl.explanation');
    const why = (await page.textContent('#detail section:has(h3:text-is("Injected into the reference")) dl.explanation'))!;
    assert.match(why, /found nothingpass 1 \(find_and_track\): the site/);
    assert.match(why, /looking for.*\/\//);
    assert.match(why, /in functionmean/);
    assert.match(why, /missingat op: the pattern wants the operator FloorDiv, the code has Div/);
    assert.match(why, /nearestline 7: return total \/ len\(values\)/);
  });

  test('a try cell that matches nothing opens onto the same explanation', async () => {
    await page.click('#open-try');
    await page.fill('#paste', STUDENT);
    await page.click('#run-try');
    // Cells that inject nothing come folded: open the bug's, then the cell's reason.
    await page.click('#try-results details[data-bug="ops/no_divide"] > summary');
    await page.waitForSelector('#try-results details[data-bug="ops/no_divide"] details.why');
    const cell = page.locator('#try-results details[data-bug="ops/no_divide"] details.why').first();
    await cell.locator('summary').click();
    assert.match((await cell.textContent())!, /pasted\.py: no-match — [\s\S]*missingat op: the pattern wants the operator FloorDiv, the code has Div[\s\S]*nearestline 7: return s \/ len\(xs\)/);
    await page.click('#try button[aria-label="close"]');
  });

  test('a bug v2.1 cannot express: a config that computes patchOnly is refused with the line to add; once plain, accepting it makes the row patch-only live', async () => {
    const inserted = 'curricula/c1/modules/ops/bugs/inserted.patch';
    const computed = "const quiet = false;\nconst list = [];\nexport default { enginePickWarning: quiet, patchOnly: list };\n";
    const reloads = studio.stdout().split('config reloaded').length;
    await writeFile(repo.abs('bug-author.config.mjs'), computed);
    // The daemon takes the config first (a new patch saved in the same moment is not built with it).
    while (studio.stdout().split('config reloaded').length === reloads) await new Promise((resolve) => setTimeout(resolve, 20));
    await repo.write('curricula/c1/modules/ops/bugs/inserted_symptom.txt', 'The mean skips the first value.\n');
    await repo.write(inserted, '--- a/tiny/ops.py\n+++ b/tiny/ops.py\n@@ -5,3 +5,4 @@\n def mean(values):\n+    values = values[1:]\n     total = sum(values)\n     return total / len(values)\n');
    const insertedRow = `#rows tr[data-key="${inserted}"]`;
    await page.waitForSelector(`${insertedRow} .badge:text-is("v2.1 cannot express")`, { timeout: 15_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nrow: ${await page.textContent(insertedRow).catch(() => 'none')}\nstdout: ${studio.stdout().slice(-2000)}`);
    });
    await page.click(insertedRow);
    await page.waitForSelector('#detail:not([data-loading]) #patch-only-form');
    assert.match(await page.inputValue('#patch-only-form textarea'), /^inserts `values = values\[1:\]`/);
    await page.fill('#patch-only-form textarea', 'inserts a statement');
    await page.click('#patch-only-form button');
    await page.waitForSelector('#patch-only-message.problem');
    assert.equal(
      await page.textContent('#patch-only-message'),
      "Not accepted: bug-author.config.mjs cannot be edited safely (its patchOnly is not a plain [ … ] list (computed, or a variable)); add this line to it by hand: { patch: 'curricula/c1/modules/ops/bugs/inserted.patch', reason: 'inserts a statement' },",
    );
    assert.equal(await repo.read('bug-author.config.mjs'), computed);

    await writeFile(repo.abs('bug-author.config.mjs'), 'export default { enginePickWarning: false };\n');
    await page.waitForSelector('#detail:not([data-loading]) #patch-only-form');
    await page.locator('#detail h2').click();
    await page.keyboard.press('p');
    await page.waitForSelector(`${insertedRow} .badge:text-is("patch-only")`, { timeout: 15_000 });
    await page.waitForSelector('#detail .flash:has-text("Accepted as patch-only")');
    // The reason the reviewer wrote (kept in the form while the config changed under it).
    assert.equal(await repo.read('bug-author.config.mjs'), "export default {\n  patchOnly: [\n    { patch: 'curricula/c1/modules/ops/bugs/inserted.patch', reason: 'inserts a statement' },\n  ],\n  enginePickWarning: false };\n");
    assert.match((await page.textContent('#detail dl'))!, /patch-onlyyes \(inserts a statement\)/);
  });

  test('a lost connection says so', async () => {
    assert.equal(await studio.stop(), 0);
    await page.waitForSelector('#connection.lost');
    assert.match((await page.textContent('#connection'))!, /connection lost/);
  });
});
