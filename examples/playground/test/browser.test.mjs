// Real-browser test of the playground: Debian Chromium (playwright-core), network disabled for
// the page. Needs dist/ (node build.mjs). Screenshot: $SCREENSHOT (default /tmp/playground.png).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startServer } from '../serve.mjs';
import { launch, offlinePage } from '../chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const SCREENSHOT = process.env.SCREENSHOT ?? '/tmp/playground.png';
// Line 7 has a syntax error: `@@@` is not an attribute.
const BROKEN = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id   Int @id\n  name String @@@\n}\n';

/** UTF-16 offset of 1-based line/column in ASCII `text` (independent of the page's helper). */
function asciiOffset(text, { line, column }) {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < line - 1; i++) off += lines[i].length + 1;
  return off + column - 1;
}

test('playground: live audit, click-to-select, filters, share link, downloads, themes', async (t) => {
  const server = await startServer(dist);
  const browser = await launch();
  t.after(async () => { await browser.close(); await server.close(); });
  const { page, blocked, errors } = await offlinePage(browser, server.url.replace(/\/$/, ''));

  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });

  // Default content: the vet-clinic schema, audited.
  const vet = await readFile(join(here, '..', '..', 'vet-clinic', 'prisma', 'schema.prisma'), 'utf8');
  assert.equal(await page.inputValue('#editor'), vet);
  const first = await page.evaluate(() => window.playground.report);
  assert.ok(first.project.models > 5, 'vet-clinic models');
  assert.equal(first.findings.some((f) => f.rule === 'invalid-schema'), false);
  assert.equal(await page.locator('#gutter').evaluate((g) => g.textContent.trim().split('\n').length),
    vet.split('\n').length);

  // Type a schema with a known problem; findings are recomputed (debounced).
  const editor = page.locator('#editor');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(BROKEN);
  assert.equal(await page.inputValue('#editor'), BROKEN);
  const item = page.locator('.finding[data-rule="invalid-schema"]').first();
  await item.waitFor({ timeout: 10000 });
  const report = await page.evaluate(() => window.playground.report);
  const finding = report.findings.find((f) => f.rule === 'invalid-schema');
  assert.equal(finding.location.start.line, 7);
  const runsAfterTyping = await page.evaluate(() => window.playground.runs);
  assert.ok(runsAfterTyping < BROKEN.length / 2, `debounced: ${runsAfterTyping} audits for ${BROKEN.length} keystrokes`);

  // Move the caret away, then click the finding: the editor selects the finding's range.
  await page.evaluate(() => document.getElementById('editor').setSelectionRange(0, 0));
  await item.click();
  const sel = await page.evaluate(() => {
    const e = document.getElementById('editor');
    return { start: e.selectionStart, end: e.selectionEnd, focused: document.activeElement === e,
      text: e.value.slice(e.selectionStart, e.selectionEnd) };
  });
  assert.equal(sel.start, asciiOffset(BROKEN, finding.location.start));
  assert.equal(sel.end, asciiOffset(BROKEN, finding.location.end));
  assert.ok(sel.focused, 'editor focused');
  assert.ok(BROKEN.split('\n')[6].includes(sel.text), `selection ${JSON.stringify(sel.text)} on line 7`);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Severity filter hides and shows the finding.
  const box = page.locator(`#filters input[data-severity="${finding.severity}"]`);
  await box.uncheck();
  assert.equal(await page.locator('.finding[data-rule="invalid-schema"]').count(), 0);
  await box.check();
  assert.ok(await page.locator('.finding[data-rule="invalid-schema"]').count() > 0);

  // Downloads: SARIF, Markdown and JSON of the current input.
  for (const [format, check] of [
    ['sarif', (s) => assert.ok(JSON.parse(s).runs[0].results.some((r) => r.ruleId === 'invalid-schema'))],
    ['markdown', (s) => assert.match(s, /invalid-schema/)],
    ['json', (s) => assert.deepEqual(JSON.parse(s).findings, report.findings)],
  ]) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-download="${format}"]`),
    ]);
    const path = await download.path();
    check(await readFile(path, 'utf8'));
  }

  // The URL hash carries the inputs: a fresh page with the link shows the same schema.
  await page.waitForFunction(() => location.hash.length > 3);
  const link = page.url();
  const { page: shared } = await offlinePage(browser, server.url.replace(/\/$/, ''));
  await shared.goto(link);
  await shared.waitForSelector('body[data-ready="1"]');
  assert.equal(await shared.inputValue('#editor'), BROKEN);
  await shared.locator('.finding[data-rule="invalid-schema"]').first().waitFor();

  // Themes: follows prefers-color-scheme, and the toggle overrides it.
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await bg();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await bg();
  assert.notEqual(light, dark);
  await page.click('#theme');
  assert.equal(await bg(), light, 'toggle from dark to light');
  await page.click('#theme');
  assert.equal(await bg(), dark, 'toggle back to dark');

  assert.deepEqual(blocked, [], 'the page requested nothing outside 127.0.0.1');
  assert.deepEqual(errors, [], 'no page errors');
});
