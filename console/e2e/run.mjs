// Browser tests of the staff console in real Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser download) against `make run`: the real local runtime, real tokens.
// Started by infra/scripts/console-browser-test.sh, which starts `make run` and hands over:
//   CONSOLE_URL    e.g. http://127.0.0.1:3108/console/
//   API_URL        e.g. http://127.0.0.1:3108
//   PATIENT_TOKEN  a local patient token of STUDY/SITE/SUBJECT
//   STUDY, SITE, SUBJECT
// Writes screenshots and results (axe, timings) under console/target/.
import { chromium } from 'playwright-core';
import axe from 'axe-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, 'target');
const shots = join(out, 'screenshots');
mkdirSync(shots, { recursive: true });

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through infra/scripts/console-browser-test.sh)`);
  return v;
};
const CONSOLE_URL = env('CONSOLE_URL');
const API_URL = env('API_URL');
const PATIENT_TOKEN = env('PATIENT_TOKEN');
const STUDY = env('STUDY');
const SITE = env('SITE');
const SUBJECT = env('SUBJECT');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const LAPTOP = { width: 1366, height: 900 };
const TABLET = { width: 820, height: 1180 };

const results = { tests: [], axe: {}, timings: {}, bundle: {} };
let passed = 0;
let failed = 0;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    passed++;
    results.tests.push({ name, ok: true, ms: Date.now() - started });
    console.log(`  ok    ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    results.tests.push({ name, ok: false, error: String(e?.stack ?? e) });
    console.log(`  FAIL  ${name}\n        ${String(e?.message ?? e).split('\n').join('\n        ')}`);
  }
}

/** A fresh browser profile (its own --user-data-dir), as a person opening the console for the first time. */
async function browser(viewport = LAPTOP) {
  const dir = mkdtempSync(join(tmpdir(), 'openepro-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, acceptDownloads: true, timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? await context.newPage();
  const problems = [];
  const foreign = [];
  const apiOrigin = new URL(API_URL).origin;
  context.on('request', (r) => {
    const origin = new URL(r.url()).origin;
    // the console talks to its own origin only; downloads go to the presigned link's store
    if (origin !== apiOrigin && !r.url().includes('X-Amz-Signature')) foreign.push(r.url());
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const visited = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) visited.push(f.url()); });
  return {
    context, page, problems, foreign, visited,
    async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

async function axeCheck(page, name) {
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  results.axe[name] = result;
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(serious.length === 0, `axe on ${name}: ${JSON.stringify(serious)}`);
  return result;
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  // the first screenful too, small enough for the README (console/docs/ holds a copy of a few)
  await page.screenshot({ path: join(shots, `${name}-view.png`) });
}

async function signIn(page, { staff, role, studies, identified = false }) {
  const t0 = Date.now();
  await page.goto(CONSOLE_URL);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/local-sign-in/);
  await page.locator('#staff').fill(staff);
  await page.locator('#role').selectOption(role);
  await page.locator('#studies').fill(studies);
  if (identified) await page.locator('#identified').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('nav[aria-label="Console"]');
  return Date.now() - t0;
}

async function submitPhq9(item9Code, item9Display) {
  const event = JSON.parse(readFileSync(join(root, '..', 'events', 'submit-phq9.json'), 'utf8'));
  const body = JSON.parse(event.body);
  body.subject = { reference: `Patient/${SUBJECT}` };
  const now = new Date(Date.now() - 60_000);
  // the device's own time and offset (+01:00), as the patient app sends it
  const local = new Date(now.getTime() + 3600_000).toISOString().slice(0, 19);
  body.authored = `${local}+01:00`;
  for (const item of body.item) {
    if (item.linkId === '44260-8') item.answer = [{ valueCoding: { system: 'http://loinc.org', code: item9Code, display: item9Display } }];
  }
  const response = await fetch(`${API_URL}/v1/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PATIENT_TOKEN}`, 'content-type': 'application/fhir+json',
      'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  check(response.status === 201, `submission answered ${response.status}: ${text}`);
  return { receipt: JSON.parse(text), authored: body.authored, body };
}

function parseCsv(text) {
  const rows = [];
  let field = '';
  let row = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') { quoted = false; } else { field += c; }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field); field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function bundleSize() {
  const assets = join(root, 'dist', 'assets');
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(assets)) {
    const bytes = readFileSync(join(assets, name));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  const html = readFileSync(join(root, 'dist', 'index.html'));
  results.bundle = { rawBytes: raw + html.length, gzipBytes: gz + gzipSync(html, { level: 9 }).length };
}

console.log(`console browser tests: ${CONSOLE_URL} (Chromium ${CHROMIUM})`);
bundleSize();
const nurse = await browser();
let submission;
let alertId;

await test('the console signs a nurse in through the local sign-in page (code + PKCE) and renders the inbox', async () => {
  const { page } = nurse;
  // a cold start of the page: navigation to the inbox showing its first rows of state
  results.timings.signInMs = await signIn(page, { staff: 'nurse-1', role: 'research-nurse', studies: STUDY });
  await page.getByRole('heading', { name: `Alerts — ${STUDY}` }).waitFor();
  await page.getByText(/Updated .* refreshes every/).waitFor();
  check(!page.url().includes('code='), `the code left the address bar: ${page.url()}`);
  const reload = Date.now();
  await page.reload();
  await page.getByText(/Updated .* refreshes every/).waitFor();
  results.timings.reloadToInboxMs = Date.now() - reload;
  results.timings.firstRenderMs = Number(await page.evaluate(() => document.documentElement.dataset.firstRenderMs));
  const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
  results.timings.domContentLoadedMs = Math.round(nav.domContentLoadedEventEnd);
  await axeCheck(page, 'inbox-empty');
  await shot(page, '01-inbox-empty');
});

await test('a PHQ-9 with item 9 = 1 appears in the open inbox within seconds, without a reload', async () => {
  const { page } = nurse;
  const t0 = Date.now();
  submission = await submitPhq9('LA6569-3', 'Several days');
  const row = page.locator('tr[data-alert]', { hasText: SUBJECT });
  await row.waitFor({ timeout: 20_000 });
  results.timings.submissionToInboxMs = Date.now() - t0;
  check(results.timings.submissionToInboxMs < 20_000, 'the alert took too long');
  alertId = await row.getAttribute('data-alert');
  const text = await row.innerText();
  check(text.includes('URGENT') && text.includes('phq9-item9-self-harm'), `the row shows ${text}`);
  await page.getByRole('status').filter({ hasText: /new alert/ }).waitFor({ state: 'attached', timeout: 5000 }).catch(() => {});
  await axeCheck(page, 'inbox-with-alert');
  await shot(page, '02-inbox-alert');
});

await test('the nurse opens it with the keyboard and sees the answer, the score and the recent scores chart', async () => {
  const { page } = nurse;
  // keyboard only: Tab to the alert's Open button, Enter
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.tagName === 'BUTTON'
      && (document.activeElement.textContent ?? '').startsWith('Open alert for'));
  }
  check(found, 'no Open button reached with Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `URGENT alert — ${SUBJECT}` }).waitFor();
  const item9 = page.locator('tr', { hasText: 'Thoughts that you would be better off dead' }).first();
  await item9.waitFor();
  const answer = await item9.innerText();
  check(answer.includes('Several days') && answer.includes('1'), `item 9 row shows ${answer}`);
  const scores = await page.locator('ul.scores').first().innerText();
  check(scores.includes('PHQ-9 total') && scores.includes('9') && /mild/i.test(scores), `scores show ${scores}`);
  await page.locator('figure.chart canvas').first().waitFor();
  const label = await page.locator('figure.chart canvas').first().getAttribute('aria-label');
  check(label?.startsWith('PHQ-9 total'), `chart label ${label}`);
  // the patient's own device time and offset are on hover
  const authored = page.locator('dd time[title^="Patient\'s time"]').first();
  check((await authored.getAttribute('title')).includes('UTC+01:00'), 'no patient offset on the authored time');
  await axeCheck(page, 'alert-detail');
  await shot(page, '03-alert-detail');
});

await test('the nurse acknowledges it with a note; it leaves the open list; the audit shows it', async () => {
  const { page } = nurse;
  await page.getByLabel('Note (optional)').fill('Called the patient; safety plan reviewed.');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByText(/Acknowledged by nurse-1/).waitFor();
  await shot(page, '04-acknowledged');
  await page.getByRole('button', { name: 'Back to alerts' }).click();
  await page.getByText(/Updated .* refreshes every/).waitFor();
  await page.waitForTimeout(500);
  check(await page.locator(`tr[data-alert="${alertId}"]`).count() === 0, 'the acknowledged alert is still in the open list');
  await page.getByLabel('Status').selectOption('ACKNOWLEDGED');
  await page.locator(`tr[data-alert="${alertId}"]`).waitFor();
  await page.getByRole('link', { name: 'Audit trail' }).click();
  const ack = page.locator('tr', { hasText: alertId }).filter({ hasText: 'ALERT_ACKNOWLEDGED' });
  await ack.waitFor();
  const text = await ack.innerText();
  check(text.includes('nurse-1') && text.includes('Called the patient; safety plan reviewed.') && text.includes(alertId),
    `audit row shows ${text}`);
  check(await page.locator('tr', { hasText: 'REPORT_VIEWED' }).count() >= 1, 'the report read is not in the audit trail');
  await axeCheck(page, 'audit');
  await shot(page, '05-audit');
});

await test('the subject view charts the PHQ-9 total with its bands and lists the report with its answers', async () => {
  const { page } = nurse;
  await page.getByRole('link', { name: 'Subjects' }).click();
  // the roster's own rows: the audit screen shown before also names the subject, until the view replaces it
  const row = page.getByRole('table', { name: 'Subjects' }).locator('tr', { hasText: SUBJECT });
  await row.waitFor();
  check((await row.innerText()).includes(SITE), 'the subject row has no site');
  await axeCheck(page, 'subjects');
  await shot(page, '06-subjects');
  await row.getByRole('button', { name: /Open/ }).click();
  await page.getByRole('heading', { name: `Subject ${SUBJECT}` }).waitFor();
  await page.locator('figure.chart canvas').first().waitFor();
  await shot(page, '06b-subject-timeline');
  await page.getByRole('button', { name: /Open phq-9 report/ }).click();
  await page.locator('tr', { hasText: 'Thoughts that you would be better off dead' }).first().waitFor();
  await axeCheck(page, 'report');
  await shot(page, '07-report');
});

await test('an export is requested, succeeds and downloads, and the file\'s rows match the submission', async () => {
  const { page } = nurse;
  await page.getByRole('link', { name: 'Exports' }).click();
  await page.getByLabel('Format').selectOption('csv');
  const profiles = await page.getByLabel('De-identification profile').locator('option').allInnerTexts();
  check(!profiles.some((p) => p.startsWith('Identified')), `a nurse without export-identified is offered ${profiles}`);
  await page.getByLabel('De-identification profile').selectOption('limited');
  await axeCheck(page, 'exports-form');
  await page.getByRole('button', { name: 'Request export' }).click();
  const job = page.locator('tr[data-export]').first();
  await job.locator('td', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 60_000 });
  const jobText = await job.innerText();
  check(/\b1\b/.test(jobText) && /[0-9a-f]{64}/.test(await job.locator('code').getAttribute('title')), `job row ${jobText}`);
  await shot(page, '08-exports');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    job.getByRole('button', { name: /Download/ }).click(),
  ]);
  const path = await download.path();
  const csv = parseCsv(readFileSync(path, 'utf8'));
  const header = csv[0];
  const rows = csv.slice(1).filter((r) => r.length > 1);
  const jobRows = Number((await job.locator('td.num').first().innerText()).trim());
  check(rows.length === jobRows && rows.length >= 1, `the file has ${rows.length} data rows, the job says ${jobRows}`);
  const col = (name) => header.indexOf(name);
  check(col('reportId') >= 0 && col('44260-8') >= 0, `no reportId or item 9 column in ${header.join(',')}`);
  const mine = rows.filter((r) => r[col('reportId')] === submission.receipt.reportId);
  check(mine.length === 1, `the submitted report is in ${mine.length} rows`);
  for (const item of submission.body.item) {
    const i = col(item.linkId);
    check(i >= 0, `no column for ${item.linkId}`);
    const value = mine[0][i];
    const coding = item.answer[0].valueCoding;
    // the csv carries each answer's code as submitted
    check(value === coding.code, `column ${item.linkId} holds ${value}, submitted ${coding.code} (${coding.display})`);
  }
  check(mine[0][col('authoredOffset')] === '+01:00', `authoredOffset is ${mine[0][col('authoredOffset')]}`);
  results.exportSample = { header: header.slice(0, 12), item9: mine[0][col('44260-8')] };
  check(!csv.flat().includes(SUBJECT), 'a limited export carries the subject id');
});

await test('the compliance screen shows the schedule\'s adherence, or says the stack has none yet', async () => {
  const { page } = nurse;
  await page.getByRole('link', { name: 'Compliance' }).click();
  await page.getByText(/Whole range:|has no schedule yet/).waitFor();
  await axeCheck(page, 'compliance');
  await shot(page, '11-compliance');
});

await test('a staff member of another study sees none of it', async () => {
  const other = await browser();
  try {
    const { page } = other;
    await signIn(page, { staff: 'nurse-9', role: 'research-nurse', studies: 'STUDY-OTHER' });
    await page.getByText(/Updated .* refreshes every/).waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByText(/Updated .* refreshes every/).waitFor();
    check(await page.locator('tr[data-alert]').count() === 0, 'another study\'s staff see alerts');
    await page.getByRole('link', { name: 'Subjects' }).click();
    await page.getByText('No subject has reported yet.').waitFor();
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByText(/^0 events/).waitFor();
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('openepro.session')).accessToken);
    for (const path of [`/v1/studies/${STUDY}/reports/${submission.receipt.reportId}`, `/v1/alerts/${alertId}`,
      `/v1/studies/STUDY-OTHER/reports/${submission.receipt.reportId}`, `/v1/studies/${STUDY}/subjects`,
      `/v1/studies/${STUDY}/subjects/${SUBJECT}/timeline`, `/v1/studies/${STUDY}/audit`]) {
      const r = await fetch(API_URL + path, { headers: { authorization: `Bearer ${token}` } });
      const body = await r.text();
      check(r.status === 404, `${path} answered ${r.status} to another study's staff`);
      // the problem names only the path they asked for: no site, score, answer or alert of the study
      check(!body.includes(SITE) && !/phq|score|URGENT|Several days/i.test(body), `${path} told another study's staff ${body}`);
    }
    await shot(page, '09-other-study');
    check(other.foreign.length === 0, `requests to other origins: ${other.foreign}`);
  } finally {
    await other.close();
  }
});

await test('a tablet width shows the inbox and the subject view usably', async () => {
  const tablet = await browser(TABLET);
  try {
    const { page } = tablet;
    await signIn(page, { staff: 'nurse-2', role: 'research-nurse', studies: STUDY });
    await page.getByLabel('Status').selectOption('');
    await page.locator('tr[data-alert]').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `the inbox scrolls sideways by ${overflow} px at ${TABLET.width} px`);
    await axeCheck(page, 'inbox-tablet');
    await shot(page, '10-inbox-tablet');
  } finally {
    await tablet.close();
  }
});

await test('nothing but the session token in browser storage, no id in the address bar, nothing from another origin', async () => {
  const { page, foreign, visited, problems } = nurse;
  const storage = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: Object.keys(localStorage),
    cookie: document.cookie }));
  check(JSON.stringify(storage.session) === '["openepro.session"]', `sessionStorage holds ${storage.session}`);
  check(storage.local.length === 0 && storage.cookie === '', `localStorage ${storage.local}, cookies ${storage.cookie}`);
  for (const url of visited) {
    check(!url.includes(SUBJECT) && !url.includes(submission.receipt.reportId) && !url.includes(alertId),
      `an id in the address bar: ${url}`);
  }
  check(foreign.length === 0, `requests to other origins: ${foreign}`);
  const csp = problems.filter((p) => /Content Security Policy/i.test(p));
  check(csp.length === 0, `CSP violations: ${csp}`);
});

await nurse.close();
writeFileSync(join(out, 'browser-test-results.json'), JSON.stringify(results, null, 2));
console.log(`console bundle: ${results.bundle.rawBytes} bytes, ${results.bundle.gzipBytes} gzipped`);
console.log(`timings: ${JSON.stringify(results.timings)}`);
console.log(`axe: ${Object.entries(results.axe).map(([k, v]) => `${k}=${v.length ? v.map((x) => `${x.id}:${x.impact}`).join('|') : 'none'}`).join(' ')}`);
console.log(`screenshots: ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
