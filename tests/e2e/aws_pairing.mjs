// Issue 12, "AWS's own Insights beside ours": drop a generated 9-day set
// together with the CloudTrail-Insight files that `trailsight detect --out`
// wrote for it; every Insight is listed once and found by "Both"; the Found
// by filter works; the record tab shows AWS's record beside ours.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, ROOT, browser, check, dropServedFile, generated, insightRows, zipTree } from './lib.mjs';

async function waitLoaded(page, timeout = 180000) {
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.ms !== undefined ||
    /failed/i.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout });
}

/// The logs of `dir` plus the Insights files `detect --out` writes for them, zipped.
function logsWithAwsInsights(dir, zipPath) {
  const both = path.join(OUT, 'aws-pairing');
  const insights = path.join(both, 'detect-out');
  fs.rmSync(both, { recursive: true, force: true });
  fs.mkdirSync(both, { recursive: true });
  const cli = path.join(ROOT, 'target/release/trailsight');
  execFileSync(cli, ['detect', dir, '--out', insights], { stdio: 'ignore' });
  fs.cpSync(path.join(dir, 'AWSLogs'), path.join(both, 'AWSLogs'), { recursive: true });
  fs.cpSync(path.join(insights, 'AWSLogs'), path.join(both, 'AWSLogs'), { recursive: true });
  const files = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name)));
  walk(path.join(insights, 'AWSLogs'));
  zipTree(both, zipPath);
  return files.filter((f) => f.includes('CloudTrail-Insight')).length;
}

export async function run(server) {
  console.log('aws_pairing (issue 12): AWS Insight files beside ours, Found by');
  const { dir } = generated(9, 1);
  const insightFiles = logsWithAwsInsights(dir, path.join(server.fixtures, 'with-aws.zip'));
  check('detect --out wrote CloudTrail-Insight files', insightFiles > 0, `${insightFiles} files`);
  const b = await browser(server.origin);
  const { page, log } = b;
  try {
    await page.goto(server.origin + '/');
    await page.waitForSelector('#drop-zone');
    await dropServedFile(page, 'with-aws.zip');
    await waitLoaded(page);
    const rows = await insightRows(page);
    const found = rows.map((r) => r['Found by']);
    check(`every Insight found by both (${rows.length})`, rows.length > 0 && found.every((f) => f === 'Both'),
      found.filter((f) => f !== 'Both').length + ' not Both');
    const ours = Number((await page.textContent('#summary-insights')).trim());
    check('AWS-paired Insights are not listed twice', rows.length === ours, `${rows.length} rows, ${ours} Insights`);

    await page.selectOption('#f-found-by', 'aws');
    const awsOnly = await page.$$eval('#insights tbody tr', (trs) => trs.length);
    await page.selectOption('#f-found-by', 'both');
    const bothRows = await page.$$eval('#insights tbody tr', (trs) => trs.length);
    check('Found by filter: none AWS only, all Both', awsOnly === 0 && bothRows === rows.length, `${awsOnly} / ${bothRows}`);
    await page.selectOption('#f-found-by', '');

    await page.goto(`${server.origin}/#/insights/${rows[0].id}/record`);
    await page.waitForSelector('#ts-record-aws-start', { timeout: 30000 });
    const [mine, aws] = await Promise.all([
      page.textContent('.ts-records:not(.ts-records--aws) pre'),
      page.textContent('#ts-record-aws pre'),
    ]);
    check('record tab: AWS\'s own record beside ours', JSON.parse(aws).sharedEventID === JSON.parse(mine).sharedEventID,
      aws.slice(0, 80));

    // Error-rate Insights switched off: ours go, AWS's stay as rows of their own.
    const errorRows = rows.filter((r) => r['Insight type'] === 'API error rate');
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector('#insights tbody tr');
    await page.click('#settings > summary');
    await page.uncheck('#s-error');
    await page.waitForFunction((n) => document.querySelectorAll('#insights td[data-found-by="aws"]').length === n &&
      n > 0, errorRows.length, { timeout: 60000 }).catch(() => {});
    const after = await insightRows(page);
    const awsRows = after.filter((r) => r['Found by'] === 'AWS');
    check(`error rate off: AWS's ${errorRows.length} error-rate Insights listed as AWS only`,
      errorRows.length > 0 && awsRows.length === errorRows.length &&
      awsRows.every((r) => r['Insight type'] === 'API error rate') &&
      after.filter((r) => r['Found by'] === 'Both').length === rows.length - errorRows.length,
      `${awsRows.length} AWS rows of ${after.length}`);
    if (awsRows.length > 0) {
      await page.click(`#insights tbody tr[data-id="${awsRows[0].id}"]`);
      await page.waitForSelector('[role="tablist"]');
      const hasGraph = await page.$('#ts-tabpanel-graph, [role="tabpanel"]');
      await page.goto(`${server.origin}/#/insights/${awsRows[0].id}/record`);
      await page.waitForSelector('#ts-record-aws-only', { timeout: 30000 });
      const rec = await page.textContent('.ts-records pre');
      check('an AWS-only row opens its details page with AWS\'s record',
        hasGraph !== null && JSON.parse(rec).sharedEventID === awsRows[0].id, rec.slice(0, 80));
    }
    check('no console errors', log.errors.length === 0, log.errors.join(' | '));
  } finally {
    await b.close();
  }
}
