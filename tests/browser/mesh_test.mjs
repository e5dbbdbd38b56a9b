// What the phone shows is what the mesh is (issue 12): the pages of two nodes of a running
// lime-sim mesh, in real headless Chromium at 390×844, checked against the simulator's own
// account of the mesh (`lime-sim status --json`: nodes, clouds, links, gateways).
//
//   node mesh_test.mjs --sim LIME_SIM --base PORT --up-at EPOCH --viewers a2,b2 --artifacts DIR
//                      [--stop a1] [--legible 1] [--words gateway,online]
//
// LIME_SIM_INSTANCE must name the mesh; `lime-sim ui PORT` must be forwarding node i's UI
// to 127.0.0.1:PORT+i. For every viewer:
//   My mesh   names every node exactly once, each in the region of its cloud, none gone;
//             every link of the mesh once, no other; gateways marked; this node marked;
//             an online node's tap target is its own page.
//   Internet  every gateway once, with the hop count of the shortest way in the mesh; the
//             preferred-gateway choice offers each gateway once.
//   Nodes     the count is the mesh's node count; every node listed once (this node once,
//             as this node); each uptime the node's own (at most the time since the mesh
//             came up, while the host has been up longer); Status' "Running for" too.
//   Spanish   chosen with the header's button: the pages in Spanish, node names untouched
//             (--words: nodes named like English UI words keep their names).
// --stop N: N is switched off (`lime-sim node stop`): every viewer shows it gone, with no
//           link, the others still online; switched on again: back, links back, uptime anew.
// --legible: no two nodes or labels of My mesh overlap, text at least 12 px, tap targets
//           44 px: for a big mesh on a phone screen.
// Screenshots go to --artifacts (mesh-<viewer>-*.png).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const artifacts = args.artifacts || 'artifacts';
mkdirSync(artifacts, { recursive: true });
const upAt = Number(args['up-at']);
const list = s => (s || '').split(',').filter(Boolean);

const sim = (...a) => execFileSync(args.sim, a, { encoding: 'utf8' });
const status = () => JSON.parse(sim('status', '--json'));
const hostUptime = () => parseFloat(readFileSync('/proc/uptime', 'utf8'));
const since = t => Date.now() / 1000 - t;

let failures = 0;
function check(cond, what) {
  if (!cond) { failures++; console.log(`FAIL ${what}`); return false; }
  console.log(`ok   ${what}`);
  return true;
}

// The whole page as one long phone screen: the tab bar (fixed to the bottom of the
// screen) would land in the middle of a full-page shot, so it is left out of it.
const WHOLE_PAGE = '.tabs { display: none !important } .top { position: static !important }';

async function shot(page, name) {
  const file = join(artifacts, `mesh-${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await page.screenshot({ path: file, fullPage: true, style: WHOLE_PAGE });
  console.log(`     screenshot ${file}`);
}

// The truth: names, cloud of each, links that are up (as "a\nb" sorted), gateways.
function truth(st) {
  const nodes = st.nodes.map(n => n.name);
  const links = st.links.filter(l => l.up).map(l => [l.a, l.b].sort().join('\n'));
  const gateways = st.nodes.filter(n => n.gateway).map(n => n.name);
  return { st, nodes, links, gateways, ssid: Object.fromEntries(st.nodes.map(n => [n.name, n.ssid])),
    ip: Object.fromEntries(st.nodes.map(n => [n.name, n.ipv4])) };
}

// Links on the shortest way from a to b over the links that are up (breadth first).
function hops(T, a, b) {
  const adj = new Map(T.nodes.map(n => [n, []]));
  for (const l of T.links) { const [x, y] = l.split('\n'); adj.get(x).push(y); adj.get(y).push(x); }
  const dist = new Map([[a, 0]]), queue = [a];
  while (queue.length) {
    const u = queue.shift();
    for (const v of adj.get(u)) if (!dist.has(v)) { dist.set(v, dist.get(u) + 1); queue.push(v); }
  }
  return dist.get(b) ?? -1;
}

// What My mesh's SVG shows, read from the DOM.
async function readMesh(page) {
  return page.evaluate(() => {
    const svg = document.getElementById('mesh-svg');
    if (!svg) return null;
    const nodes = [...svg.querySelectorAll('.mesh-node')].map(g => {
      const c = g.querySelector('circle.node'), a = g.closest('a');
      return { name: g.dataset.name, state: g.dataset.state, gateway: g.dataset.gateway === '1',
        x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), href: a ? a.getAttribute('href') : null };
    });
    const labels = [...svg.querySelectorAll('text.label')].map(t => t.textContent);
    const links = [...svg.querySelectorAll('.link[data-a]')].map(l => [l.dataset.a, l.dataset.b].sort().join('\n'));
    const clouds = [...svg.querySelectorAll('rect.cloud-area')].map(r => ({ ssid: r.dataset.ssid,
      y: +r.getAttribute('y'), h: +r.getAttribute('height') }));
    return { nodes, labels, links, clouds };
  });
}

// Reloads My mesh until cond(mesh) holds (the mesh converges; nodes go and come back).
async function waitMesh(page, url, cond, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let m = null;
  while (Date.now() < deadline) {
    await page.goto(new URL('#/mesh', url).href);
    try {
      await page.waitForSelector('#mesh-svg', { timeout: 8000 });
      m = await readMesh(page);
      if (m && cond(m)) return m;
    } catch { /* not there yet */ }
    await page.waitForTimeout(3000);
  }
  const seen = m ? m.nodes.map(n => `${n.name}:${n.state}`).join(' ') + ` links ${m.links.length}` : 'no picture';
  throw new Error(`${what}: not within ${timeoutMs / 1000} s (saw ${seen})`);
}

const count = (arr, x) => arr.filter(y => y === x).length;

async function meshPage(page, url, T, v) {
  // the mesh converges: routes, links, then each gateway telling it is one (once its
  // internet check passed)
  const gwsOf = m => m.nodes.filter(n => n.gateway).map(n => n.name).sort().join();
  const m = await waitMesh(page, url, m => m.nodes.length === T.nodes.length && m.nodes.every(n => n.state !== 'gone') &&
    m.links.length === T.links.length && gwsOf(m) === [...T.gateways].sort().join(),
  `${v}: My mesh shows all ${T.nodes.length} nodes online, ${T.links.length} links and the gateways`, 180000);
  check(m.nodes.length === T.nodes.length && T.nodes.every(n => count(m.nodes.map(x => x.name), n) === 1),
    `${v}: My mesh has every node of the mesh once (${T.nodes.length})`);
  check(T.nodes.every(n => count(m.labels, n) === 1) && m.labels.length === T.nodes.length,
    `${v}: My mesh names every node exactly once (labels: ${m.labels.join(' ')})`);
  check(m.nodes.every(n => n.state !== 'gone'), `${v}: no live node is shown gone`);
  check(m.nodes.filter(n => n.state === 'self').map(n => n.name).join() === v, `${v}: this node is the one marked as this node`);
  check(T.links.every(l => count(m.links, l) === 1) && m.links.length === T.links.length,
    `${v}: every link of the mesh drawn once, no other (${m.links.length})`);
  const gws = m.nodes.filter(n => n.gateway).map(n => n.name).sort();
  check(gws.join() === [...T.gateways].sort().join(), `${v}: gateways marked: ${gws.join()} (mesh: ${T.gateways.join()})`);
  const ssids = [...new Set(Object.values(T.ssid))].sort();
  check(m.clouds.map(c => c.ssid).sort().join() === ssids.join(), `${v}: one region per cloud, named by its SSID (${ssids.join(', ')})`);
  const inside = m.nodes.every(n => { const c = m.clouds.find(r => r.ssid === T.ssid[n.name]); return c && n.y > c.y && n.y < c.y + c.h; });
  check(inside, `${v}: every node sits in its cloud's region`);
  check(m.nodes.every(n => n.state !== 'online' || n.href === `http://${T.ip[n.name]}/`),
    `${v}: tapping a node opens its own page (http://<its address>/)`);
  await shot(page, `${v}-mesh`);
  // and the first screen, as the phone shows it
  await page.screenshot({ path: join(artifacts, `mesh-${v}-mesh-screen.png`) });
  return m;
}

async function internetPage(page, url, T, v) {
  let rows = [];
  for (const deadline = Date.now() + 60000; Date.now() < deadline;) { // as My mesh: converged
    await page.goto(new URL('#/gateways', url).href);
    await page.waitForSelector('#gateway-list');
    rows = await page.$$eval('#gateway-list li', li => li.map(x => ({ name: x.dataset.name, hops: +x.dataset.hops })));
    if (rows.length >= T.gateways.length) break;
    await page.waitForTimeout(3000);
  }
  check(rows.length === T.gateways.length && T.gateways.every(g => count(rows.map(r => r.name), g) === 1),
    `${v}: Internet lists every gateway once (${rows.map(r => r.name).join()})`);
  for (const r of rows) {
    const want = hops(T, v, r.name);
    check(r.hops === want, `${v}: gateway ${r.name} is ${r.hops} hops away (mesh: ${want})`);
  }
  const choice = await page.$$eval('input[name=gw]', i => i.map(x => x.value).filter(Boolean));
  check(choice.length === T.gateways.length && T.gateways.every(g => count(choice, g) === 1),
    `${v}: the preferred-gateway choice offers each gateway once (${choice.join()})`);
  await shot(page, `${v}-internet`);
}

async function nodesPage(page, url, T, v) {
  await page.goto(new URL('#/nodes', url).href);
  await page.waitForSelector('#node-list li');
  const total = +(await page.getAttribute('#nodes-summary', 'data-total'));
  const online = +(await page.getAttribute('#nodes-summary', 'data-online'));
  const rows = await page.$$eval('#node-list li', li => li.map(x => ({ name: x.dataset.name, state: x.dataset.state, uptime: x.dataset.uptime })));
  check(total === T.nodes.length && online === T.nodes.length, `${v}: Nodes counts ${total} nodes, ${online} online (mesh: ${T.nodes.length})`);
  check(rows.length === T.nodes.length && T.nodes.every(n => count(rows.map(r => r.name), n) === 1),
    `${v}: Nodes lists every node once`);
  check(count(rows.map(r => r.name), v) === 1 && rows.filter(r => r.state === 'self').map(r => r.name).join() === v,
    `${v}: this node is listed once, as this node`);
  const bound = since(upAt) + 30, host = hostUptime();
  const ups = rows.map(r => Number(r.uptime));
  check(rows.every(r => r.uptime !== '') && ups.every(u => u >= 0 && u <= bound),
    `${v}: every node's uptime is its own, at most the ${Math.round(bound)} s since the mesh came up (host: ${Math.round(host)} s): ${ups.join(' ')}`);
  check(host > bound, `the host has been up longer (${Math.round(host)} s) than the mesh, so the check above tells them apart`);
  await shot(page, `${v}-nodes`);
  await page.goto(new URL('#/status', url).href);
  await page.waitForSelector('#node-uptime');
  const own = +(await page.getAttribute('#node-uptime', 'data-seconds'));
  check(own >= 0 && own <= bound, `${v}: Status "Running for" is the node's own (${own} s)`);
}

// The header's button switches the UI to Spanish; names from the mesh stay as they are.
async function spanish(page, url, T, v) {
  await page.goto(new URL('#/mesh', url).href);
  await page.waitForSelector('#mesh-svg');
  if ((await page.textContent('#lang-toggle')).trim() === 'ES') {
    await Promise.all([page.waitForNavigation(), page.click('#lang-toggle')]);
  }
  await page.waitForSelector('#mesh-svg');
  check((await page.textContent('main h1')) === 'Mi red' && /Qué estás viendo/.test(await page.textContent('main')),
    `${v}: chosen in the UI, My mesh is in Spanish`);
  const m = await readMesh(page);
  check(T.nodes.every(n => count(m.labels, n) === 1), `${v}: in Spanish every node keeps its name (${list(args.words).join(', ') || 'no English-word names here'})`);
  await shot(page, `${v}-mesh-es`);
  await page.goto(new URL('#/nodes', url).href);
  await page.waitForSelector('#node-list li');
  const txt = await page.textContent('main');
  check(/Nodos/.test(txt) && /en línea/.test(txt), `${v}: Nodes is in Spanish`);
  const names = await page.$$eval('#node-list li .name', x => x.map(e => e.textContent));
  check(T.nodes.every(n => names.includes(n)), `${v}: the Spanish Nodes page shows every name as it is`);
  for (const w of list(args.words)) {
    check(names.includes(w) && (await page.$eval(`#node-list li[data-name="${w}"] .name`, e => e.textContent)) === w,
      `${v}: the node named "${w}" is shown as "${w}", not translated`);
  }
  await page.goto(new URL('#/gateways', url).href);
  await page.waitForSelector('#gateway-list');
  check(/Salidas a internet de la red/.test(await page.textContent('main')), `${v}: Internet is in Spanish`);
  const gwNames = await page.$$eval('#gateway-list li .name', x => x.map(e => e.textContent));
  check(T.gateways.every(g => gwNames.includes(g)), `${v}: gateways keep their names in Spanish (${gwNames.join()})`);
  await shot(page, `${v}-internet-es`);
  await Promise.all([page.waitForNavigation(), page.click('#lang-toggle')]); // back to English
}

// Nothing overlaps and everything is big enough to read and tap on a phone.
async function legible(page, v) {
  const r = await page.evaluate(() => {
    const svg = document.getElementById('mesh-svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const nodes = [...svg.querySelectorAll('circle.node')].map(c => ({ x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), r: +c.getAttribute('r') }));
    const labels = [...svg.querySelectorAll('text.label')].map(t => { const b = t.getBBox(); return { t: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height }; });
    const hit = Math.min(...[...svg.querySelectorAll('circle.hit')].map(c => +c.getAttribute('r')));
    const font = parseFloat(getComputedStyle(svg.querySelector('text.label')).fontSize);
    return { scale, nodes, labels, hit, font, w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height };
  });
  let close = 0, overlap = 0, outside = 0, onNode = 0;
  for (let i = 0; i < r.nodes.length; i++) {
    for (let j = i + 1; j < r.nodes.length; j++) {
      const a = r.nodes[i], b = r.nodes[j];
      if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r + 8) close++;
    }
  }
  const hitBox = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  for (let i = 0; i < r.labels.length; i++) {
    const a = r.labels[i];
    if (a.x < 0 || a.y < 0 || a.x + a.w > r.w || a.y + a.h > r.h) outside++;
    for (let j = i + 1; j < r.labels.length; j++) if (hitBox(a, r.labels[j])) overlap++;
    for (const n of r.nodes) if (hitBox(a, { x: n.x - n.r, y: n.y - n.r, w: 2 * n.r, h: 2 * n.r })) onNode++;
  }
  check(close === 0, `${v}: no two nodes of ${r.nodes.length} closer than their size (${close})`);
  check(overlap === 0 && onNode === 0, `${v}: no label overlaps another label or a node (${overlap}, ${onNode})`);
  check(outside === 0, `${v}: every label inside the picture (${outside} outside)`);
  check(r.font * r.scale >= 11.5, `${v}: names drawn at ${(r.font * r.scale).toFixed(1)} px (≥ 12)`);
  check(2 * r.hit * r.scale >= 43, `${v}: tap targets ${(2 * r.hit * r.scale).toFixed(0)} px wide (≥ 44)`);
  check(r.w * r.scale <= 390, `${v}: the picture fits the phone's width (${(r.w * r.scale).toFixed(0)} px)`);
}

async function switchedOff(pages, T, who) {
  sim('node', 'stop', who);
  const stoppedAt = Date.now();
  for (const [v, page, url] of pages) {
    const m = await waitMesh(page, url, m => m.nodes.find(n => n.name === who)?.state === 'gone',
      `${v}: ${who} shown gone after it was switched off`, 120000);
    check(true, `${v}: ${who} is gone ${Math.round((Date.now() - stoppedAt) / 1000)} s after it was switched off`);
    check(m.nodes.filter(n => n.name !== who).every(n => n.state !== 'gone'), `${v}: the other nodes stay online`);
    check(!m.links.some(l => l.split('\n').includes(who)), `${v}: no link of ${who} is drawn`);
    check(count(m.nodes.map(n => n.name), who) === 1, `${v}: ${who} is still drawn once, as gone`);
    await shot(page, `${v}-gone`);
    await page.goto(new URL('#/nodes', url).href);
    await page.waitForSelector('#node-list li');
    check(+(await page.getAttribute('#nodes-summary', 'data-gone')) === 1 &&
      (await page.getAttribute(`#node-list li[data-name="${who}"]`, 'data-state')) === 'gone', `${v}: Nodes says ${who} is gone, 1 gone`);
  }
  sim('node', 'start', who);
  const startedAt = Date.now() / 1000;
  for (const [v, page, url] of pages) {
    const m = await waitMesh(page, url, m => m.nodes.every(n => n.state !== 'gone') && m.links.length === T.links.length,
      `${v}: ${who} back after it was switched on`, 180000);
    check(T.links.every(l => count(m.links, l) === 1), `${v}: ${who} is back, with all its links`);
    await page.goto(new URL('#/nodes', url).href);
    await page.waitForSelector(`#node-list li[data-name="${who}"]`);
    const up = Number(await page.getAttribute(`#node-list li[data-name="${who}"]`, 'data-uptime'));
    check(up >= 0 && up <= since(startedAt) + 30, `${v}: ${who}'s uptime starts anew when it is switched on (${up} s)`);
  }
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const T = truth(status());
  console.log(`mesh: ${T.nodes.length} nodes, ${T.links.length} links, gateways ${T.gateways.join()}`);
  const pages = [];
  for (const v of list(args.viewers)) {
    const i = T.st.nodes.findIndex(n => n.name === v);
    const url = `http://127.0.0.1:${Number(args.base) + i}/`;
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
      isMobile: true, hasTouch: true, locale: 'en-US' });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    page.setDefaultTimeout(20000);
    pages.push([v, page, url, errors]);
  }
  for (const [v, page, url] of pages) {
    try {
      await meshPage(page, url, T, v);
      if (args.legible === '1') await legible(page, v);
      await internetPage(page, url, T, v);
      await nodesPage(page, url, T, v);
      await spanish(page, url, T, v);
    } catch (e) {
      check(false, e.message);
      await shot(page, `${v}-failure`).catch(() => {});
    }
  }
  if (args.stop) {
    try { await switchedOff(pages, T, args.stop); } catch (e) { check(false, e.message); }
  }
  for (const [v, , , errors] of pages) check(errors.length === 0, `${v}: no JavaScript errors (${errors.join('; ')})`);
} finally {
  await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
