// Shared e2e harness: serve a copy of dist/ (plus fixtures under /__e2e__/)
// with python's http.server on a free port, drive headless Chromium through
// playwright-core, and count checks.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = path.join(ROOT, 'tests/e2e/out');

const results = { passed: 0, failed: 0 };
export function check(name, ok, detail = '') {
  if (ok) {
    results.passed++;
    console.log(`  ok   ${name}`);
  } else {
    results.failed++;
    console.log(`  FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
export const summary = () => ({ ...results });

export function bench(name, value) {
  console.log(`  bench ${name}: ${value}`);
  fs.mkdirSync(OUT, { recursive: true });
  fs.appendFileSync(path.join(OUT, 'bench.txt'), `${new Date().toISOString()} ${name}: ${value}\n`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/// The sub-path the build is also served under (as a GitHub Pages project site is).
export const SUB_PATH = '/trailsight/';

/// Copies dist/ into a temp root, and again under SUB_PATH, and serves it;
/// fixtures go to <root>/__e2e__/.
export async function serve() {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ missing: run trunk build --release first');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-e2e-'));
  fs.cpSync(dist, root, { recursive: true });
  fs.cpSync(dist, path.join(root, SUB_PATH), { recursive: true });
  fs.mkdirSync(path.join(root, '__e2e__'));
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], {
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${origin}/index.html`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin,
    fixtures: path.join(root, '__e2e__'),
    close() {
      proc.kill();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/// A fresh headless Chromium with a page that records console errors,
/// page errors, dialogs and every request that leaves `origin`.
export async function browser(origin) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const log = { errors: [], foreign: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', async (d) => {
    log.dialogs.push(d.message());
    await d.dismiss();
  });
  context.on('request', (r) => {
    const url = r.url();
    log.requests.push(url);
    if (!(url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:'))) log.foreign.push(url);
  });
  return {
    context,
    page,
    log,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/// Generated logs (the trailsight CLI), cached per arguments under tests/e2e/out.
export function generated(days = 9, seed = 1) {
  const dir = path.join(OUT, `gen-d${days}-s${seed}`);
  if (!fs.existsSync(path.join(dir, 'labels.json'))) {
    const cli = path.join(ROOT, 'target/release/trailsight');
    if (!fs.existsSync(cli)) throw new Error('target/release/trailsight missing: cargo build --release --bin trailsight');
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(cli, ['generate', dir, '--days', String(days), '--seed', String(seed)], { stdio: 'ignore' });
  }
  return { dir, labels: JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')) };
}

/// Zips the AWSLogs tree of `dir` into `zipPath` (python's zipfile: always on this machine).
export function zipTree(dir, zipPath) {
  const py = `
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as z:
    for base, dirs, files in os.walk(os.path.join(src, 'AWSLogs')):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            z.write(p, os.path.relpath(p, src))
`;
  execFileSync('python3', ['-c', py, dir, zipPath]);
}

/// Lists a zip's entries with the number of records in each (gzip JSON `{"Records":[...]}`).
export function readZipRecords(zipPath) {
  const py = `
import gzip, json, sys, zipfile
out = []
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        recs = json.loads(gzip.decompress(z.read(n)))['Records']
        out.append({'path': n, 'records': recs})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', py, zipPath], { maxBuffer: 256 << 20 }).toString());
}

/// Drops a file that the server holds (under /__e2e__/) onto the drop zone, the
/// way a real drag would deliver it (a DataTransfer with a File).
export async function dropServedFile(page, name) {
  await page.evaluate(async (name) => {
    const blob = await (await fetch(`/__e2e__/${name}`)).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], name));
    const zone = document.querySelector('#drop-zone');
    zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, name);
}

/// The rows of the Insights table as objects keyed by column label.
export async function insightRows(page) {
  return page.$$eval('#insights tbody tr', (trs) => {
    const heads = [...document.querySelectorAll('#insights thead th')].map((th) => th.textContent.replace(/[▲▼]/g, '').trim());
    return trs.map((tr) => {
      const o = { id: tr.dataset.id };
      [...tr.children].forEach((td, i) => (o[heads[i]] = td.textContent.trim()));
      return o;
    });
  });
}

/// Every planted anomaly of `labels` that has no matching row (same API,
/// account, Region, type, error code, start within 10 minutes of onset).
export function missingPlanted(labels, rows) {
  const minute = (s) => Math.floor(Date.parse(s.replace(' UTC', 'Z').replace(' ', 'T')) / 60000);
  return labels.anomalies.filter((a) => {
    const type = a.kind === 'call_rate' ? 'API call rate' : 'API error rate';
    const name = a.error_code ? `${a.event_name} (${a.error_code})` : a.event_name;
    return !rows.some((r) =>
      r['Event name'] === name && r['Event source'] === a.event_source && r['Region'] === a.region &&
      r['Account'] === a.account && r['Insight type'] === type &&
      Math.abs(minute(r['Event start time']) - a.onset_minute) <= 10);
  });
}
