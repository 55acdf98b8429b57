// Issue 11, the dashboard part: per-minute counts made by `trailsight counts`
// from the 9-day generated logs (Parquet, CSV, and a gzip CSV without an
// extension, as Athena UNLOAD names its files) load by drop and by picker; the
// list is exactly `trailsight detect` on the raw logs (the exported JSON
// Lines equal its records with empty attributions); the Attributions tab shows
// the step-3 query (the CLI's text, per engine) with a working Copy button,
// then, once the attributions result is loaded, the attributions, and the
// export equals the raw run byte for byte; the events tab says what it needs
// with the events query; a bad counts file is listed with its line and reason.
//
// TRAILSIGHT_COUNTS_BIG=FILE additionally drops FILE (e.g. the counts of the
// 20M-event set) and reports its load time as a bench line.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, ROOT, bench, browser, check, dropServedFile, generated, insightRows } from './lib.mjs';

const CLI = path.join(ROOT, 'target/release/trailsight');
const cli = (args) => execFileSync(CLI, args, { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString();

/// Waits for a load to end (the status line changes to a new `data-ms` or a failure).
async function waitLoaded(page, previous = null, timeout = 120000) {
  await page.waitForFunction((prev) => {
    const s = document.querySelector('#status');
    if (!s) return false;
    if (/failed/i.test(s.textContent)) return true;
    return s.dataset.ms !== undefined && s.dataset.ms !== prev;
  }, previous, { timeout });
  const failed = await page.evaluate(() => /failed/i.test(document.querySelector('#status')?.textContent ?? ''));
  if (failed) throw new Error(await page.textContent('#status'));
  return page.evaluate(() => Number(document.querySelector('#status')?.dataset.ms ?? NaN));
}

async function exportJsonLines(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-jsonl')]);
  const file = path.join(OUT, `counts-export-${Date.now()}.jsonl`);
  await download.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}

/// JSON Lines with every attributions list emptied (what counts alone give).
function withoutAttributions(text) {
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const v = JSON.parse(l);
    v.insightDetails.insightContext.attributions = [];
    return JSON.stringify(v);
  });
}

async function tab(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  return page.locator('[role="tabpanel"]:not([hidden])').first();
}

export async function run(server) {
  console.log('counts (issue 11): counts and attributions files in the dashboard');
  const { dir, labels } = generated(9, 1);
  const fx = server.fixtures;
  const rawText = cli(['detect', dir]);
  fs.writeFileSync(path.join(fx, 'raw.jsonl'), rawText);
  cli(['counts', dir, '--out', path.join(fx, 'counts.parquet')]);
  cli(['counts', dir, '--out', path.join(fx, 'counts.csv')]);
  cli(['counts', dir, '--out', path.join(fx, 'counts.csv.gz')]);
  // Recognised by content: a gzip CSV named like an UNLOAD part.
  fs.renameSync(path.join(fx, 'counts.csv.gz'), path.join(fx, 'part-00000'));
  cli(['counts', dir, '--attributions-for', path.join(fx, 'raw.jsonl'), '--out', path.join(fx, 'attributions.parquet')]);
  // A counts file with a non-numeric count on line 3.
  const csvLines = fs.readFileSync(path.join(fx, 'counts.csv'), 'utf8').split('\n');
  csvLines[2] = csvLines[2].replace(/,\d+$/, ',many');
  fs.writeFileSync(path.join(fx, 'bad-counts.csv'), csvLines.slice(0, 10).join('\n') + '\n');

  const raw = rawText.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const rawIds = [...new Set(raw.map((r) => r.sharedEventID))].sort();
  const b = await browser(server.origin);
  const { page, log } = b;
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  try {
    // 1. Parquet counts by drop: the list is the raw run's.
    await page.goto(server.origin + '/');
    await page.waitForSelector('#drop-zone');
    const t0 = Date.now();
    await dropServedFile(page, 'counts.parquet');
    const ms = await waitLoaded(page);
    bench('counts.parquet drop → Insights list (9-day set)', `${Date.now() - t0} ms wall, ${ms} ms in page`);
    check('parquet counts: a counts session is shown', (await page.locator('#counts-note').count()) === 1);
    const events = (await page.textContent('#summary-events')).trim().replace(/,/g, '');
    check('parquet counts: every event counted', events === String(labels.events), `${events} vs ${labels.events}`);
    const rows = await insightRows(page);
    const ids = rows.map((r) => r.id).sort();
    check(`parquet counts: the list has the raw run's Insights (${rawIds.length})`,
      rawIds.length > 0 && JSON.stringify(ids) === JSON.stringify(rawIds), `${ids.length} vs ${rawIds.length}`);
    const bare = await exportJsonLines(page);
    check('parquet counts: exported records equal detect on the raw logs (no attributions)',
      JSON.stringify(withoutAttributions(bare)) === JSON.stringify(withoutAttributions(rawText)));

    // 2. The Attributions tab: the step-3 query, per engine, and Copy.
    // An Insight whose records have attribution values (a drop in calls can have none).
    const valuesOf = (sid) => raw.filter((r) => r.sharedEventID === sid && r.insightDetails.state === 'End')
      .flatMap((r) => r.insightDetails.insightContext.attributions.flatMap((a) => a.insight.map((v) => v.value)));
    const id = rawIds.find((sid) => valuesOf(sid).length > 0) ?? rawIds[0];
    await page.click(`#insights tbody tr[data-id="${id}"]`);
    await page.waitForSelector('[role="tablist"]');
    const attrPanel = await tab(page, 'Attributions');
    await attrPanel.locator('#sql-query-attributions').waitFor();
    const insightsFile = path.join(fx, 'raw.jsonl');
    for (const engine of ['athena', 'spark', 'duckdb']) {
      await page.selectOption('#sql-engine-attributions', engine);
      const shown = await page.textContent('#sql-query-attributions');
      const want = cli(['sql', 'attributions', '--engine', engine, '--insights', insightsFile]);
      check(`attributions tab: the ${engine} query is trailsight sql attributions'`, shown === want, `${shown.length} vs ${want.length} chars`);
    }
    await page.click('#sql-copy-attributions');
    await page.waitForFunction(() => document.querySelector('#sql-copied-attributions')?.textContent === 'Copied', null, { timeout: 5000 }).catch(() => {});
    const copied = await page.textContent('#sql-copied-attributions');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    check('attributions tab: Copy puts the query on the clipboard and says "Copied"',
      copied === 'Copied' && clip === cli(['sql', 'attributions', '--engine', 'duckdb', '--insights', insightsFile]), `${copied}, ${clip.length} chars`);

    // 3. The events tab: what it needs, with the events query of this Insight.
    const evPanel = await tab(page, 'CloudTrail events');
    const evText = (await evPanel.textContent()) ?? '';
    const mine = path.join(fx, 'one.jsonl');
    fs.writeFileSync(mine, rawText.split('\n').filter((l) => l.includes(`"sharedEventID":"${id}"`)).join('\n') + '\n');
    const evQuery = await page.textContent('#sql-query-events');
    check('events tab: says the events are not here and gives trailsight sql events',
      /events are not here/.test(evText) && /trailsight sql events/.test(evText) &&
      evQuery === cli(['sql', 'events', '--engine', 'athena', '--insights', mine]));

    // 4. Load the attributions result with the tab's picker: the attributions show, exactly the raw run's.
    await tab(page, 'Attributions');
    await page.setInputFiles('#attributions-file', path.join(fx, 'attributions.parquet'));
    await page.waitForSelector('[role="tabpanel"]:not([hidden]) .ts-attr', { timeout: 60000 });
    const attrText = (await page.locator('[role="tabpanel"]:not([hidden])').first().textContent()) ?? '';
    const topValues = valuesOf(id);
    check('attributions tab: after the result, the attribution tables with the raw run\'s values',
      topValues.length > 0 && topValues.every((v) => attrText.includes(v)) && (await page.locator('#sql-query-attributions').count()) === 0,
      `${topValues.length} values, missing: ${topValues.filter((v) => !attrText.includes(v)).join(', ')}; query panels: ${await page.locator('#sql-query-attributions').count()}`);
    await page.goto(server.origin + '/#/');
    await page.waitForSelector('#counts-note-attributions');
    check('list: the note names the attributions file', /attributions\.parquet/.test(await page.textContent('#counts-note-attributions')));
    const full = await exportJsonLines(page);
    check('counts + attributions: exported records equal detect on the raw logs byte for byte', full === rawText,
      `${full.length} vs ${rawText.length} bytes`);

    // 5. CSV by picker with a bad counts file (listed, the good one loads), then an extension-less gzip CSV.
    await page.reload();
    await page.waitForSelector('#drop-zone');
    await page.setInputFiles('#file', [path.join(fx, 'counts.csv'), path.join(fx, 'bad-counts.csv')]);
    await waitLoaded(page);
    const csvIds = (await insightRows(page)).map((r) => r.id).sort();
    check('csv counts by picker: the same Insights', JSON.stringify(csvIds) === JSON.stringify(rawIds), `${csvIds.length}`);
    const skipped = (await page.textContent('#skipped')) ?? '';
    check('bad counts file: listed with its file, line and reason',
      /bad-counts\.csv/.test(skipped) && /line 3/.test(skipped) && /many/.test(skipped), skipped.slice(0, 300));
    await page.reload();
    await page.waitForSelector('#drop-zone');
    await dropServedFile(page, 'part-00000');
    await waitLoaded(page);
    const gzIds = (await insightRows(page)).map((r) => r.id).sort();
    check('gzip csv without an extension: recognised by content, the same Insights', JSON.stringify(gzIds) === JSON.stringify(rawIds), `${gzIds.length}`);

    // 6. Optional: a big counts file (e.g. the 20M-event set's).
    const big = process.env.TRAILSIGHT_COUNTS_BIG;
    if (big) {
      fs.copyFileSync(big, path.join(fx, path.basename(big)));
      await page.reload();
      await page.waitForSelector('#drop-zone');
      const t1 = Date.now();
      await dropServedFile(page, path.basename(big));
      const bigMs = await waitLoaded(page, null, 600000);
      const n = (await page.textContent('#summary-events')).trim();
      bench(`big counts ${path.basename(big)} (${fs.statSync(big).size} bytes, ${n} events) drop → Insights list`,
        `${Date.now() - t1} ms wall, ${bigMs} ms in page, ${(await insightRows(page)).length} Insights`);
    }
    check('counts: no console errors', log.errors.length === 0, log.errors.slice(0, 3).join(' | '));
    check('counts: nothing leaves the origin', log.foreign.length === 0, log.foreign.slice(0, 3).join(' '));
  } finally {
    await b.close();
  }
}
