// The same build served under a sub-path (/trailsight/, as a GitHub Pages
// project site is): every asset, worker and wasm file resolves relative to the
// page (no 404, styles applied), the demo loads, and a capture shorter than
// 24 hours says why it has no Insights instead of "nothing unusual".
import fs from 'node:fs';
import path from 'node:path';
import { browser, check, dropServedFile, SUB_PATH } from './lib.mjs';

/// 55 minutes of one account and Region: writes, one read call, a burst of errors.
function shortCapture() {
  const lines = [];
  const at = (m, s) => `2024-07-30T21:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}Z`;
  const ev = (n, m, name, readOnly, error) => JSON.stringify({
    eventVersion: '1.09', eventTime: at(m, n % 60), eventSource: 'ec2.amazonaws.com', eventName: name,
    awsRegion: 'us-east-1', eventID: `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    readOnly, eventType: 'AwsApiCall', recipientAccountId: '457448411975', eventCategory: 'Management',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::457448411975:user/stratus' },
    ...(error ? { errorCode: error } : {}),
  });
  lines.push(ev(1, 0, 'RunInstances', false));
  lines.push(ev(2, 10, 'DescribeInstances', true));
  for (let n = 3; n < 33; n++) lines.push(ev(n, 31, 'GetPasswordData', true, 'Client.UnauthorizedOperation'));
  lines.push(ev(40, 54, 'TerminateInstances', false));
  return lines.join('\n') + '\n';
}

export async function run(server) {
  console.log(`subpath: the build under ${SUB_PATH}`);
  fs.writeFileSync(path.join(server.fixtures, 'short.jsonl'), shortCapture());
  const b = await browser(server.origin);
  try {
    const { page, log } = b;
    const failed = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    const base = server.origin + SUB_PATH;
    await page.goto(base);
    await page.waitForSelector('#demo');
    const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => s.href));
    const inSub = await page.evaluate(() => location.pathname);
    check('the page is under the sub-path', inSub === '/trailsight/', inSub);
    check('stylesheets load from the sub-path', sheets.length >= 2 && sheets.every((h) => h && h.startsWith(base)), sheets.join(' '));

    await page.click('#demo');
    await page.waitForSelector('#summary-insights', { timeout: 180000 });
    const insights = Number((await page.textContent('#summary-insights')).trim());
    const headline = (await page.textContent('#coverage-headline')).trim();
    check('demo loads under the sub-path (workers and wasm found)', insights > 0, `${insights} Insights`);
    check('summary says how much was tested', /series tested (in \d+ of \d+ accounts and Regions, )?over [\d.–]+ days of baseline: \d+ Insights?\./.test(headline), headline);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-eventbridge')]);
    const first = JSON.parse(fs.readFileSync(await download.path(), 'utf8').split('\n')[0]);
    check('EventBridge export wraps each record', download.suggestedFilename().endsWith('.jsonl') && first.version === '0'
      && first['detail-type'] === 'AWS Insight via CloudTrail' && first.source === 'aws.cloudtrail'
      && first.time === first.detail.eventTime && first.account === first.detail.recipientAccountId, JSON.stringify(first).slice(0, 300));

    await dropServedFile(page, 'short.jsonl');
    await page.waitForFunction(() => document.querySelector('#summary-events')?.textContent.trim() === '33', null, { timeout: 60000 });
    const empty = (await page.textContent('.ts-insights-panel .ts-empty')).trim();
    check('a short capture says why it has no Insights', empty.includes('This capture covers 55 minutes of account 457448411975 in us-east-1')
      && empty.includes('Insights need 24 hours') && !empty.includes('nothing unusual'), empty);
    const note = await page.textContent('#coverage');
    check('the summary names the unwatched read call', note.includes('1 event not considered: read-only calls'), note);
    await page.click('#coverage [data-setting="s-read"]');
    const opened = await page.evaluate(() => document.querySelector('#settings').open && document.activeElement?.id);
    check('its link opens the read-calls setting', opened === 's-read', String(opened));

    check('no 404 or other failed request under the sub-path', failed.length === 0, failed.join(' | '));
    check('no console errors under the sub-path', log.errors.length === 0, log.errors.join(' | '));
  } finally {
    await b.close();
  }
}
