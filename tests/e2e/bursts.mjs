// Issue 12, Bursts: a capture shorter than 24 hours (the Stratus Red Team
// detonations in ../shared/data/real, skipped cleanly when absent) offers
// the Bursts view, whose first entry is the GetPasswordData
// Client.UnauthorizedOperation burst; its page shows the chart, top values
// and events, labelled as not Insights. Takes the README's screenshot.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, ROOT, browser, check, dropServedFile } from './lib.mjs';

const STRATUS = path.resolve(ROOT, '../shared/data/real/stratus-red-team-detonations');

export async function run(server) {
  console.log('bursts (issue 12): short capture → Bursts view');
  if (!fs.existsSync(STRATUS)) {
    console.log(`  skip bursts: ${STRATUS} absent`);
    return;
  }
  const py = `
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(src)):
        z.write(os.path.join(src, f), f)
`;
  execFileSync('python3', ['-c', py, STRATUS, path.join(server.fixtures, 'stratus.zip')]);
  const b = await browser(server.origin);
  const { page, log } = b;
  try {
    await page.goto(server.origin + '/');
    await page.waitForSelector('#drop-zone');
    await dropServedFile(page, 'stratus.zip');
    await page.waitForFunction(() => document.querySelector('#status')?.dataset.ms !== undefined, null, { timeout: 120000 });
    const offer = await page.$('#insights-panel [data-bursts-offer], .ts-empty [data-bursts-offer]');
    const anyOffer = await page.$$eval('[data-bursts-offer]', (a) => a.length);
    check('no Insights: the empty list offers the Bursts view', offer !== null || anyOffer > 0, `${anyOffer} offers`);
    await page.click('.ts-empty [data-bursts-offer], [data-bursts-offer]');
    await page.waitForSelector('#bursts-table tbody tr', { timeout: 60000 });
    check('the offer opens #/bursts', (await page.evaluate(() => location.hash)) === '#/bursts');
    const label = (await page.textContent('#bursts-label')).trim();
    check('labelled as not Insights', label.startsWith('Not Insights — no baseline: compared with the rest of this capture'), label);
    const first = await page.$eval('#bursts-table tbody tr', (tr) => [...tr.children].map((td) => td.textContent.trim()));
    check('first burst: GetPasswordData (Client.UnauthorizedOperation)',
      first[1] === 'GetPasswordData (Client.UnauthorizedOperation)' && first[6] === '30', first.join(' | '));
    await page.screenshot({ path: path.join(OUT, 'bursts-list.png') });

    await page.click('#bursts-table tbody tr[data-rank="1"]');
    await page.waitForSelector('#burst-detail');
    check('a row opens #/bursts/1', (await page.evaluate(() => location.hash)) === '#/bursts/1');
    await page.waitForSelector('#burst-chart svg rect.ts-burst-bar--hot', { timeout: 30000 });
    const hot = await page.$$eval('#burst-chart rect.ts-burst-bar--hot', (r) => r.length);
    check('chart highlights the burst minute', hot === 1, `${hot} highlighted`);
    const who = await page.textContent('#burst-identities tbody');
    check('top identity is the Stratus role', who.includes('stratus-red-team-ec2-get-password-data-role'), who.slice(0, 120));
    await page.waitForFunction(() => /of 30$/.test(document.querySelector('#burst-detail .ts-page-label')?.textContent ?? ''), null, { timeout: 30000 });
    const events = await page.$$eval('#burst-detail .ts-event-row', (r) => r.length);
    check('the burst lists its 30 events', events === 30, `${events} rows`);
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.screenshot({ path: path.join(OUT, 'bursts.png') });
    check('no console errors', log.errors.length === 0, log.errors.join(' | '));
  } finally {
    await b.close();
  }
}
