// Issue 12, "An overview of the loaded data": load the demo data, open the
// Overview and see its top lists; a bar click opens the events view filtered
// by that value (rows, total, chip, original JSON); a chip removes its
// filter; a deep link with filters and a page works; brushing the activity
// chart lists that range's events and a click lists one bucket's.
import fs from 'node:fs';
import path from 'node:path';
import { OUT, bench, browser, check } from './lib.mjs';

const minuteOf = (iso) => Math.floor(Date.parse(iso) / 60000);
/// `2026-03-09 14:05:03 UTC` → minute since the epoch.
const rowMinute = (text) => minuteOf(text.replace(' UTC', 'Z').replace(' ', 'T'));

async function eventsShown(page) {
  // The view names the route whose rows it shows: wait for the current one.
  await page.waitForFunction(() => document.querySelector('#events-view')?.dataset.shown === location.hash, null, { timeout: 30000 });
  return page.evaluate(() => ({
    hash: decodeURIComponent(location.hash),
    total: Number(document.querySelector('#events-page-label').dataset.total),
    label: document.querySelector('#events-page-label').textContent,
    rows: [...document.querySelectorAll('#events-table tbody tr.ts-event-row')].map((tr) => [...tr.children].map((td) => td.textContent.trim())),
    chips: [...document.querySelectorAll('#event-filters .ts-chip')].map((c) => c.dataset.key),
  }));
}

/// Waits until `test` holds (the URL changed), then for the events view's answer.
async function eventsFor(page, test) {
  await page.waitForFunction(test, null, { timeout: 30000 });
  return eventsShown(page);
}

export async function run(server) {
  console.log('overview (issue 12): Overview, bar → events view, chips, deep links, brushing');
  const b = await browser(server.origin);
  const { page, log } = b;
  try {
    await page.goto(server.origin + '/');
    await page.click('#demo');
    await page.waitForSelector('#summary-insights', { timeout: 180000 });
    const events = Number((await page.textContent('#summary-events')).trim().replace(/,/g, ''));

    // The Overview, from the header.
    const t0 = Date.now();
    await page.click('#nav-overview');
    await page.waitForSelector('#overview-apis a.ts-bar', { timeout: 60000 });
    bench(`Overview of the demo data (${events} events): click → bars`, `${Date.now() - t0} ms wall`);
    const lists = await page.evaluate(() => Object.fromEntries(
      ['apis', 'identities', 'errors-list', 'ips', 'agents', 'identity-types', 'regions', 'accounts'].map((id) => [
        id,
        [...document.querySelectorAll(`#overview-${id} a.ts-bar`)].map((a) => ({
          value: a.dataset.value, count: Number(a.dataset.count), href: a.getAttribute('href'),
          detail: a.querySelector('.ts-bar__detail')?.textContent ?? '', shown: a.querySelector('.ts-bar__count').textContent,
        })),
      ])));
    const overviewEvents = Number((await page.textContent('#overview-events')).replace(/,/g, ''));
    check('the Overview counts every loaded event', overviewEvents === events, `${overviewEvents} vs ${events}`);
    const sizes = Object.entries(lists).map(([k, v]) => `${k}:${v.length}`).join(' ');
    check('every top list has bars (at most 10; error codes all)',
      Object.entries(lists).every(([k, v]) => v.length > 0 && (k === 'errors-list' || v.length <= 10)), sizes);
    check('bars are ranked by count with the count on the bar',
      Object.values(lists).every((v) => v.every((e, i) => (i === 0 || v[i - 1].count >= e.count) && Number(e.shown.replace(/,/g, '')) === e.count)));
    check('identities show their identity type',
      lists.identities.every((e) => ['AssumedRole', 'IAMUser', 'AWSService'].includes(e.detail)), JSON.stringify(lists.identities.map((e) => e.detail)));
    check('the identity types include AssumedRole and IAMUser',
      ['AssumedRole', 'IAMUser'].every((t) => lists['identity-types'].some((e) => e.value === t)));
    check('AccessDenied is among the error codes', lists['errors-list'].some((e) => e.value === 'AccessDenied'),
      lists['errors-list'].map((e) => e.value).join(' '));
    check('every bar is a link to the events view', Object.values(lists).every((v) => v.every((e) => e.href.startsWith('#/events?'))));
    fs.mkdirSync(OUT, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, 'overview.png') });

    // A bar click: the events view of that identity.
    const who = lists.identities[1];
    const t1 = Date.now();
    await page.click(`#overview-identities a.ts-bar[data-value="${who.value}"]`);
    let v = await eventsShown(page);
    bench(`events view of one identity (${who.count} of ${events} events): click → rows`, `${Date.now() - t1} ms wall`);
    check('a bar click opens the events view filtered by its value', v.hash.includes(`identity=${who.value}`), v.hash);
    check('the events view lists exactly the bar\'s count', v.total === who.count, `${v.total} vs ${who.count}`);
    check('every listed row is that identity\'s', v.rows.length === 50 && v.rows.every((r) => r[3] === who.value && r[4] === who.detail),
      JSON.stringify(v.rows[0]));
    check('the filter shows as a chip', v.chips.join() === 'identity', v.chips.join());
    const times = v.rows.map((r) => Date.parse(r[1].replace(' UTC', 'Z').replace(' ', 'T')));
    check('rows are in time order', times.every((t, i) => i === 0 || times[i - 1] <= t));
    await page.click('#events-table tbody tr.ts-event-row button.ts-expand');
    await page.waitForSelector('#events-table pre.ts-json', { timeout: 30000 });
    const json = JSON.parse(await page.textContent('#events-table pre.ts-json'));
    check('a row expands to its original JSON', typeof json.eventID === 'string' && json.userIdentity?.type === who.detail, JSON.stringify(json).slice(0, 200));
    await page.click('#events-next');
    v = await eventsFor(page, () => location.hash.includes('page=1'));
    check('paging moves through the filtered events (page in the URL)', v.label.startsWith('51–') && v.rows.every((r) => r[3] === who.value), v.label);

    // Removing the chip lists every event.
    await page.click('#event-filters .ts-chip__remove');
    v = await eventsFor(page, () => location.hash === '#/events');
    check('removing the chip lists every loaded event', v.total === events && v.chips.length === 0, `${v.total} vs ${events}`);

    // A deep link with two filters and a page.
    const code = lists['errors-list'][0];
    await page.evaluate((c) => { location.hash = `#/events?error=${encodeURIComponent(c)}&region=us-east-1`; }, code.value);
    v = await eventsFor(page, () => location.hash.includes('region='));
    check('a deep link applies its filters', v.total > 0 && v.total <= code.count && v.rows.every((r) => r[7] === code.value && r[6].startsWith('us-east-1')),
      `${v.total} ${JSON.stringify(v.rows[0])}`);
    check('its chips name both filters', v.chips.join() === 'error,region', v.chips.join());

    // Brushing the activity chart on the list page.
    await page.click('a.ts-brand');
    await page.waitForSelector('#activity[data-drawn="true"]');
    const box = await page.$eval('#activity', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    const y = box.y + box.h / 2;
    await page.mouse.move(box.x + 50 + (box.w - 56) * 0.40, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 50 + (box.w - 56) * 0.45, y, { steps: 5 });
    await page.mouse.move(box.x + 50 + (box.w - 56) * 0.50, y, { steps: 5 });
    await page.mouse.up();
    v = await eventsFor(page, () => location.hash.startsWith('#/events?') && location.hash.includes('from='));
    const param = (k) => new URLSearchParams(v.hash.split('?')[1]).get(k);
    const [from, to] = [minuteOf(param('from')), minuteOf(param('to'))];
    const span = to - from;
    check('brushing the chart opens the events of that range', v.chips.join() === 'range' && span > 60 && span < 9 * 1440 * 0.2, `${v.hash} (${span} min)`);
    check('the range\'s events are listed, and only them', v.total > 0 && v.total < events && v.rows.every((r) => rowMinute(r[1]) >= from && rowMinute(r[1]) < to),
      `${v.total} events, first ${v.rows[0]?.[1]}`);

    // A click (no drag) opens one bucket's events.
    await page.click('a.ts-brand');
    await page.waitForSelector('#activity[data-drawn="true"]');
    await page.mouse.click(box.x + 50 + (box.w - 56) * 0.6, y);
    v = await eventsFor(page, () => location.hash.includes('from='));
    const p2 = (k) => new URLSearchParams(v.hash.split('?')[1]).get(k);
    const bucket = minuteOf(p2('to')) - minuteOf(p2('from'));
    check('a click on the chart opens one bucket\'s events', bucket > 0 && bucket <= 60 && v.total > 0, `${v.hash}: ${bucket} min, ${v.total} events`);

    // Back returns to the list page (brushing is a navigation).
    await page.goBack();
    await page.waitForSelector('#activity');
    check('back returns to the list page', await page.evaluate(() => location.hash === '#/' || location.hash === ''));
    check('no console errors', log.errors.length === 0, log.errors.join(' | '));
  } finally {
    await b.close();
  }
}
