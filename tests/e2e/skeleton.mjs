// Issue 2: choose a gzipped CloudTrail log with the file input; the worker
// parses it; the page shows the event count and draws the activity chart.
// Also issue 5's safety check: an event field holding HTML stays text.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { OUT, browser, check } from './lib.mjs';

const XSS = '<img src=x onerror=alert(1)>';

/// 358 events over 30 minutes, one of them with a hostile user agent.
function fixture() {
  const start = Date.UTC(2026, 2, 2, 10, 0, 0);
  const records = [];
  for (let i = 0; i < 358; i++) {
    const t = new Date(start + Math.floor((i * 30 * 60000) / 358));
    records.push({
      eventVersion: '1.08',
      eventTime: t.toISOString().replace('.000Z', 'Z'),
      eventSource: 'ec2.amazonaws.com',
      eventName: i % 3 ? 'DescribeInstances' : 'RunInstances',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: i === 7 ? XSS : 'aws-cli/2.15.0',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      readOnly: i % 3 !== 0,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
    });
  }
  const file = path.join(OUT, '111122223333_CloudTrail_us-east-1_20260302T1000Z_skeleton.json.gz');
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(JSON.stringify({ Records: records })));
  return file;
}

export async function run(server) {
  console.log('skeleton (issue 2): pick a .json.gz, count, chart');
  const file = fixture();
  const b = await browser(server.origin);
  try {
    const { page, log } = b;
    await page.goto(server.origin + '/');
    await page.waitForSelector('#file', { state: 'attached' });
    await page.setInputFiles('#file', file);
    await page.waitForSelector('#summary-events', { timeout: 30000 });
    const count = (await page.textContent('#summary-events')).trim();
    check('event count shown is 358', count === '358', count);
    await page.waitForSelector('#activity[data-drawn="true"]', { timeout: 10000 }).catch(() => {});
    const inked = await page.$eval('#activity', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    check('activity chart drew (>1000 painted pixels)', inked > 1000, `${inked}`);
    const workerWasm = log.requests.some((u) => u.endsWith('/worker_bg.wasm'));
    check('parsing ran in a web worker (worker_bg.wasm loaded)', workerWasm);
    const imgs = await page.$$eval('img', (l) => l.length);
    check('hostile user agent did not become markup', imgs === 0 && log.dialogs.length === 0, `imgs=${imgs} dialogs=${log.dialogs}`);
    check('no console errors', log.errors.length === 0, log.errors.join(' | '));
    check('no request left the origin', log.foreign.length === 0, log.foreign.join(' '));
  } finally {
    await b.close();
  }
}
