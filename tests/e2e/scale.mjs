// Issue 10's browser scale harness: load a big generated set in headless
// Chromium as a folder (through the folder picker) and as one or more
// archives (through the file picker), wait for the Insights list, and report
// the time from load start to the list, the events and Insights shown, the
// analysis worker's memory and where the time went; then run the release
// CLI (`trailsight detect`) on the same files and report the ratio
// browser / CLI. Not in the default suite list: run it explicitly,
//   TRAILSIGHT_SCALE_DIR=/work/data/s10 [TRAILSIGHT_SCALE_ZIP=/work/data/s10.zip[:more.zip]] \
//     node tests/e2e/run.mjs scale
// TRAILSIGHT_SCALE_SKIP=folder|zip leaves one of the two loads out.
// Without TRAILSIGHT_SCALE_DIR (and _ZIP) it reports a skip and checks nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, bench, browser, check } from './lib.mjs';

/// A load of this size may take minutes on 2 shared cores.
const LOAD_TIMEOUT_MS = 20 * 60 * 1000;

/// Runs `trailsight detect` on `paths` under /usr/bin/time: wall time, peak
/// RSS, and the events and Insights of its stderr summary.
function cli(paths) {
  const exe = path.join(ROOT, 'target/release/trailsight');
  if (!fs.existsSync(exe)) throw new Error('target/release/trailsight missing: cargo build --release --bin trailsight');
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-v', exe, 'detect', ...paths], { maxBuffer: 1 << 30 });
  const ms = Date.now() - t0;
  const err = r.stderr.toString();
  const loaded = err.match(/(\d+) events loaded in ([\d.]+) s.*detection ([\d.]+) ms.*?(\d+) Insights/);
  const rss = err.match(/Maximum resident set size \(kbytes\): (\d+)/);
  return {
    ms,
    ok: r.status === 0 && loaded !== null,
    events: loaded ? Number(loaded[1]) : NaN,
    insights: loaded ? Number(loaded[4]) : NaN,
    loadS: loaded ? Number(loaded[2]) : NaN,
    detectMs: loaded ? Number(loaded[3]) : NaN,
    rssBytes: rss ? Number(rss[1]) * 1024 : NaN,
    ids: sharedIds(r.stdout.toString()),
    stderr: err.slice(0, 2000),
  };
}

/// The Insights of `detect`'s JSON Lines (a Start and an End record each),
/// by `sharedEventID`, sorted.
function sharedIds(jsonl) {
  const ids = new Set();
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const id = JSON.parse(line).sharedEventID;
      if (id) ids.add(id);
    } catch {
      ids.add(`unparsable line: ${line.slice(0, 80)}`);
    }
  }
  return [...ids].sort();
}

/// Picks `files` (a folder path for `#folder`, or file paths for `#file`)
/// and waits for the Insights list; in-page figures of the load.
async function load(page, origin, selector, files) {
  await page.goto(origin + '/');
  await page.waitForSelector('#drop-zone');
  // From the `change` event on: before it, Chromium is still taking
  // Playwright's upload of the file list (not the app's work).
  await page.evaluate((sel) => {
    document.querySelector(sel).addEventListener('change', () => (window.__changeAt = performance.now()), { capture: true });
  }, selector);
  await page.setInputFiles(selector, files, { timeout: LOAD_TIMEOUT_MS });
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.ms !== undefined ||
    /failed/i.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: LOAD_TIMEOUT_MS, polling: 200 });
  return page.evaluate(() => {
    const status = document.querySelector('#status');
    const details = document.querySelector('#load-details')?.dataset ?? {};
    const num = (s) => Number((s ?? '').replace(/,/g, ''));
    return {
      failed: status?.dataset.ms === undefined ? status?.textContent : null,
      ms: Number(status?.dataset.ms),
      sinceChangeMs: Math.round(performance.now() - (window.__changeAt ?? NaN)),
      events: num(document.querySelector('#summary-events')?.textContent),
      insights: document.querySelectorAll('#insights tbody tr').length,
      ids: [...document.querySelectorAll('#insights tbody tr')].map((tr) => tr.dataset.id).sort(),
      details: { ...details },
    };
  });
}

function report(label, b, c) {
  const d = b.details;
  const mb = (n) => `${(Number(n) / 1e6).toFixed(0)} MB`;
  bench(`${label}: browser load start → Insights list`, `${b.ms} ms (${b.sinceChangeMs} ms from the picker's change event), ` +
    `${b.events} events, ${b.insights} Insights`);
  if (d.workerMemory !== undefined) {
    bench(`${label}: analysis worker memory`, `${mb(d.workerMemory)}, ${d.bytesPerEvent} bytes per event`);
    bench(`${label}: browser phases`, `${d.parseWorkers} parse workers; summed over them: read ${d.readMs} ms, ` +
      `inflate+parse ${d.parseMs} ms, encode ${d.encodeMs} ms; reading phase ${d.readingMs} ms wall; analysis worker: ` +
      `decode ${d.decodeMs} ms, merge ${d.mergeMs} ms, final merge ${d.finishMs} ms, detection ${d.detectMs} ms`);
  }
  bench(`${label}: CLI trailsight detect`, `${c.ms} ms wall (load ${c.loadS} s, detection ${c.detectMs} ms), ` +
    `${c.events} events, ${c.insights} Insights, peak RSS ${mb(c.rssBytes)}, ${Math.round(c.rssBytes / c.events)} bytes per event`);
  bench(`${label}: ratio browser / CLI`, (b.ms / c.ms).toFixed(2));
}

async function scaleLoad(server, label, selector, files, cliPaths) {
  const b = await browser(server.origin);
  let result;
  try {
    result = await load(b.page, server.origin, selector, files);
    check(`${label}: loaded without failure`, result.failed === null, result.failed ?? '');
    check(`${label}: no console errors`, b.log.errors.length === 0, b.log.errors.slice(0, 3).join(' | '));
  } finally {
    await b.close();
  }
  const c = cli(cliPaths);
  check(`${label}: CLI ran`, c.ok, c.stderr);
  report(label, result, c);
  check(`${label}: browser and CLI load the same events`, result.events === c.events, `${result.events} vs ${c.events}`);
  check(`${label}: browser and CLI list the same number of Insights`, result.insights === c.insights, `${result.insights} vs ${c.insights}`);
  // The same Insights, not only as many: their ids derive from the series and the minutes.
  check(`${label}: browser and CLI list the same Insights (sharedEventID)`,
    result.ids.length > 0 && JSON.stringify(result.ids) === JSON.stringify(c.ids),
    `browser ${result.ids.join(' ')} | CLI ${c.ids.join(' ')}`);
  if (result.details.workerMemory !== undefined) {
    check(`${label}: the page shows the analysis worker's memory`, Number(result.details.workerMemory) > 0 && Number(result.details.bytesPerEvent) > 0);
  }
}

export async function run(server) {
  const dir = process.env.TRAILSIGHT_SCALE_DIR;
  const zips = (process.env.TRAILSIGHT_SCALE_ZIP ?? '').split(':').filter(Boolean);
  const skip = process.env.TRAILSIGHT_SCALE_SKIP ?? '';
  console.log(`scale (issue 10): ${dir ?? '(no TRAILSIGHT_SCALE_DIR)'} as a folder, ${zips.join(', ') || 'no archive'}`);
  if (!dir && zips.length === 0) {
    console.log('  skip: set TRAILSIGHT_SCALE_DIR (and TRAILSIGHT_SCALE_ZIP) to a generated set');
    return;
  }
  const cores = Number(execFileSync('nproc').toString().trim());
  bench('scale: machine', `${cores} cores`);
  if (dir && skip !== 'folder') {
    const tree = path.join(dir, 'AWSLogs');
    await scaleLoad(server, `folder ${path.basename(dir)}`, '#folder', tree, [tree]);
  }
  if (zips.length > 0 && skip !== 'zip') {
    const name = zips.map((z) => path.basename(z)).join('+');
    await scaleLoad(server, `zip ${name}`, '#file', zips, zips);
  }
}
