// "Try the demo data": the simulator runs inside the analysis worker (no
// network) and its planted Insights are listed.
import { bench, browser, check } from './lib.mjs';

export async function run(server) {
  console.log('demo: generate in the worker, list Insights');
  const b = await browser(server.origin);
  try {
    const { page, log } = b;
    await page.goto(server.origin + '/');
    await page.waitForSelector('#demo');
    const t0 = Date.now();
    await page.click('#demo');
    await page.waitForSelector('#summary-insights', { timeout: 180000 });
    bench('demo data: generate 9 days in the worker → Insights list', `${Date.now() - t0} ms wall`);
    const insights = Number((await page.textContent('#summary-insights')).trim());
    const events = Number((await page.textContent('#summary-events')).trim().replace(/,/g, ''));
    check('demo data loads events and finds Insights', events > 100000 && insights > 0, `${events} events, ${insights} Insights`);
    const fetched = log.requests.filter((u) => /\.(gz|json|zip)$/.test(u));
    check('demo data came from no request', fetched.length === 0 && log.foreign.length === 0, fetched.join(' '));
    check('no console errors', log.errors.length === 0, log.errors.join(' | '));
  } finally {
    await b.close();
  }
}
