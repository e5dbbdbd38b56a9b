// Browser tests of limed's phone UI: real headless Chromium (Debian's /usr/bin/chromium)
// driven by playwright-core, at a phone viewport, against a running limed.
//
//   node ui_test.mjs --phase main   --url http://127.0.0.1/ --artifacts DIR --root ROOT
//   node ui_test.mjs --phase wizard --url http://127.0.0.1/ --artifacts DIR --root ROOT
//   node ui_test.mjs --phase tour   --url http://NODE/      --artifacts DIR   (read-only)
//
// main:   every page loads with real data (neighbour node-b heard over babel, its
//         hostname, the gateway), the hostname is changed, applied and shown; a
//         preferred gateway is staged and lands in lime-node after apply; a change
//         lime-config refuses shows its reason and leaves the config as it was.
// gone:   after node-b was switched off, the nodes page shows it as gone.
// wizard: a fresh node shows the first-boot wizard, finds the network of its neighbour,
//         joins it and ends up with the neighbour's lime-community and the new name.
// Screenshots of every step go to --artifacts. Exit status 0 = all steps passed.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const url = args.url || 'http://127.0.0.1/';
const artifacts = args.artifacts || 'artifacts';
mkdirSync(artifacts, { recursive: true });
const ROOT_PW = 'mesh-admin-1';

let step = 0;
async function shot(page, name) {
  step++;
  const file = join(artifacts, `${args.phase}-${String(step).padStart(2, '0')}-${name}.png`);
  // from the top, so the sticky header sits where a phone shows it
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok   ${what}`);
}

// Waits until the text of selector matches re, reloading the route every few seconds
// (data such as neighbours arrives over time).
async function waitText(page, route, selector, re, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    await page.goto(new URL(route, url).href);
    try {
      await page.waitForSelector(selector, { timeout: 4000 });
      last = await page.textContent(selector);
      if (re.test(last)) return last;
    } catch { /* not there yet */ }
    await page.waitForTimeout(2000);
  }
  const body = await page.textContent('main').catch(() => '?');
  throw new Error(`${route} ${selector}: expected ${re}, last saw "${last}"; page: ${body.slice(0, 300)}`);
}

async function adminLogin(page, password) {
  await page.waitForSelector('#admin-password');
  await page.fill('#admin-password', password);
  await page.click('#admin-login');
}

async function waitApplied(page, label) {
  await page.waitForSelector(`#pending:not([hidden]) >> text=${label}`, { timeout: 10000 });
  await shot(page, 'pending-change');
  await page.click('#apply-btn');
  await page.waitForSelector('#pending', { state: 'hidden', timeout: 60000 });
}

// The calls the page makes, as "object.method" (counted while `counting` is set).
function rpcCounter(page) {
  const calls = [];
  page.on('request', r => {
    if (!r.url().endsWith('/ubus') || r.method() !== 'POST') return;
    try { const p = JSON.parse(r.postData()).params; calls.push(`${p[1]}.${p[2]}`); } catch { /* batch */ }
  });
  return calls;
}

async function main(page) {
  // The first-boot check is made once, not on every tab change.
  const calls = rpcCounter(page);
  await page.goto(new URL('#/status', url).href);
  await page.waitForSelector('#internet-status');
  for (const tab of ['nodes', 'gateways', 'mesh', 'status']) {
    await page.click(`.tabs a[data-page=${tab}]`);
    await page.waitForSelector(`.tabs a[data-page=${tab}].active`);
    await page.waitForSelector('main h1');
  }
  check(calls.filter(c => c === 'lime-fbw.status').length === 1,
    `lime-fbw status asked once over five pages (asked ${calls.filter(c => c === 'lime-fbw.status').length} times)`);

  // Status: the neighbour heard over babel, named by its own limed, internet through it.
  const nb = await waitText(page, '#/status', '#neighbour-list', /node-b/);
  check(/link/.test(nb), 'status lists neighbour node-b with its link quality');
  check(/Yes/.test(await waitText(page, '#/status', '#internet-status', /Yes/, 30000)),
    'status says the node reaches the internet');
  check(/node-b \(gateway\)/.test(await page.textContent('#gateway-path')), 'status shows the path to the gateway node-b');
  check((await page.textContent('#node-name')) === 'node-a', 'status shows this node\'s name');
  check((await page.inputValue('#notes-text')).includes('Key to the roof'), 'status shows the node\'s notes');
  await page.fill('#notes-text', 'Key to the roof is with Ana.\nLadder in the shed.');
  await page.click('#save-notes');
  await page.waitForSelector('text=Notes saved.');
  check(readFileSync(join(args.root, 'etc/banner.notes'), 'utf8').includes('Ladder in the shed.'),
    'notes edited on the phone are saved on the node');
  if (args.batd === '1') {
    const l2 = await waitText(page, '#/status', '#neighbour-list', /same cloud/, 30000);
    check(/same cloud/.test(l2), 'status lists the batman-adv (cloud) neighbour from batd');
  }
  await shot(page, 'status');

  const nodes = await waitText(page, '#/nodes', '#node-list', /node-b/);
  check(/online/.test(nodes) && /gateway/.test(nodes), 'nodes page lists node-b online, as a gateway');
  check((await page.getAttribute('#node-list a.name >> text=node-b', 'href')) === 'http://10.13.0.11/',
    'an online node links to its own page');
  await shot(page, 'nodes');

  const gw = await waitText(page, '#/gateways', '#gateway-in-use', /node-b/);
  check(/node-b/.test(gw), 'internet page says the gateway in use is node-b');
  await shot(page, 'gateways');

  await waitText(page, '#/mesh', '#mesh-svg', /node-b/);
  check(/2 neighbours/.test(await page.textContent('#mesh-explain')), 'my mesh explains its 2 neighbours');
  await shot(page, 'mesh');

  // Settings: admin login, change the hostname, see it pending, apply, see it applied.
  await page.goto(new URL('#/settings', url).href);
  await adminLogin(page, 'wrong-password');
  await page.waitForSelector('.msg.error');
  await shot(page, 'settings-wrong-password');
  await adminLogin(page, ROOT_PW);
  await page.waitForSelector('#hostname');
  await shot(page, 'settings');
  await page.fill('#hostname', 'roof-ana');
  await page.click('#save-hostname');
  await waitApplied(page, 'Node name: roof-ana');
  await page.waitForFunction(() => document.getElementById('header-hostname').textContent === 'roof-ana',
    null, { timeout: 15000 });
  check(true, 'hostname change applied: header shows roof-ana');
  const sys = readFileSync(join(args.root, 'etc/config/system'), 'utf8');
  check(/hostname 'roof-ana'/.test(sys), 'lime-config wrote the new hostname to etc/config/system');
  await page.goto(new URL('#/status', url).href);
  await page.waitForSelector('#node-name');
  check((await page.textContent('#node-name')) === 'roof-ana', 'status page shows the new name');
  await shot(page, 'hostname-applied');

  // Gateways: prefer node-b (staged, then applied into lime-node).
  await page.goto(new URL('#/gateways', url).href);
  await page.waitForSelector('input[name=gw][value="node-b"]');
  await page.check('input[name=gw][value="node-b"]');
  await page.click('#save-gateway');
  await waitApplied(page, 'Preferred gateway: node-b');
  const ln = readFileSync(join(args.root, 'etc/config/lime-node'), 'utf8');
  check(/preferred_gateway 'node-b'/.test(ln), 'preferred gateway written to lime-node');
  await shot(page, 'gateway-preferred');

  // A change lime-config refuses: the banner says why, the old config stays.
  const before = readFileSync(join(args.root, 'etc/config/lime-community'), 'utf8');
  await page.evaluate(async () => {
    const sid = sessionStorage.getItem('admin_sid');
    await fetch('/ubus', { method: 'POST', body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'call',
      params: [sid, 'lime-utils-admin', 'change_config', { changes: [{ config: 'lime-community',
        section: 'network', option: 'main_ipv4_address', value: 'not-an-address' }] }] }) });
  });
  await page.goto(new URL('#/status', url).href);
  await page.waitForSelector('#pending:not([hidden]) >> text=main_ipv4_address');
  await page.click('#apply-btn');
  await page.waitForSelector('#apply-error', { timeout: 30000 });
  const why = await page.textContent('#apply-error');
  check(/previous settings/.test(why) && /not an IPv4 prefix/.test(why), 'a failed apply shows lime-config\'s reason');
  check(readFileSync(join(args.root, 'etc/config/lime-community'), 'utf8') === before, 'a failed apply keeps the old config');
  await shot(page, 'apply-failed');
  await page.click('#pending >> text=Discard');
  await page.waitForSelector('#pending', { state: 'hidden' });

  // A phone set to Spanish gets the UI in Spanish.
  const es = await page.context().browser().newContext({ viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'es-AR' });
  const p2 = await es.newPage();
  const errs = [];
  p2.on('pageerror', e => errs.push(e.message));
  await p2.goto(new URL('#/status', url).href);
  await p2.waitForSelector('#neighbour-list');
  await p2.waitForFunction(() => document.querySelector('main h1').textContent === 'Estado', null, { timeout: 10000 });
  const txt = await p2.textContent('main');
  check(/Vecinos \(2\)/.test(txt) && /Sí, este nodo llega a internet/.test(txt) && /Enlace bueno/.test(txt),
    'a phone set to Spanish sees the status page in Spanish');
  check(errs.length === 0, `no JavaScript errors in Spanish (${errs.join('; ')})`);
  await shot(p2, 'status-es');
  await p2.goto(new URL('#/mesh', url).href);
  await p2.waitForSelector('#mesh-explain');
  await p2.waitForTimeout(300);
  await shot(p2, 'mesh-es');
  await es.close();
}

async function wizard(page) {
  await page.goto(url);
  await page.waitForSelector('#wizard-join', { timeout: 15000 });
  check(/#\/wizard/.test(page.url()), 'a fresh node opens the first-boot wizard');
  await shot(page, 'welcome');
  // Scan until the neighbour's network shows up (babel needs a few hellos first).
  const deadline = Date.now() + 60000;
  for (;;) {
    await page.click('#wizard-join');
    const which = await page.waitForSelector('#network-list, #no-networks', { timeout: 40000 });
    if (await which.getAttribute('id') === 'network-list') break;
    if (Date.now() > deadline) throw new Error('no network found nearby');
    await page.waitForTimeout(2000);
    await page.goto(new URL('#/wizard', url).href);
    await page.waitForSelector('#wizard-join');
  }
  const list = await page.textContent('#network-list');
  // node-a was renamed roof-ana in the main phase; either name is right depending on timing
  check(/TestMesh/.test(list) && /node-a|roof-ana/.test(list), 'wizard found network TestMesh heard from node-a');
  await shot(page, 'networks-found');
  await page.fill('#node-name-input', 'casa-c');
  await page.click('#join-network');
  await page.waitForSelector('#wizard-done', { timeout: 60000 });
  check(/casa-c/.test(await page.textContent('#wizard-done')), 'wizard says the node joined, named casa-c');
  await shot(page, 'joined');
  const comm = readFileSync(join(args.root, 'etc/config/lime-community'), 'utf8');
  check(/ap_ssid 'TestMesh'/.test(comm), 'the joined node has the neighbour\'s lime-community');
  await page.goto(new URL('#/status', url).href);
  await page.waitForSelector('#node-name', { timeout: 15000 });
  check((await page.textContent('#node-name')) === 'casa-c' && /#\/status/.test(page.url()),
    'after joining the node is no longer locked in the wizard');
  await shot(page, 'status-after-join');
}

// Three hops from the gateway (d → c → a → b): the status page shows every hop, which
// this node learns by asking each next hop's limed for its own next hop.
async function path(page) {
  const p = await waitText(page, '#/status', '#gateway-path', /(casa-c|LiMe-c0ffee).*(roof-ana|node-a).*node-b \(gateway\)/, 90000);
  check(true, `status shows the whole way to the gateway: ${p.replace(/\s+/g, ' ')}`);
  await shot(page, 'path');
}

// After node-b was switched off (its babeld stopped): node-b shows as gone.
async function gone(page) {
  const nodes = await waitText(page, '#/nodes', '#node-list', /node-b[^]*gone/, 120000);
  check(/node-b[^]*gone/.test(nodes), 'nodes page shows node-b as gone after it was switched off');
  check(/gone/.test(await page.textContent('#nodes-summary')), 'the summary counts the gone node');
  await shot(page, 'node-gone');
}

// Read-only tour of any running node (e.g. a lime-sim node): every page loads with data
// from the mesh. Changes nothing on the node.
async function tour(page) {
  const nb = await waitText(page, '#/status', '#neighbour-list', /link/, 60000);
  check(/link/.test(nb), 'status lists neighbours with their link quality');
  await page.waitForSelector('#internet-status');
  console.log(`     internet: ${await page.textContent('#internet-status')}`);
  await shot(page, 'status');
  const nodes = await waitText(page, '#/nodes', '#node-list', /online/, 60000);
  check(/online/.test(nodes), 'nodes page lists online nodes');
  await shot(page, 'nodes');
  await page.goto(new URL('#/gateways', url).href);
  await page.waitForSelector('#gateway-in-use');
  console.log(`     gateway: ${await page.textContent('#gateway-in-use')}`);
  await shot(page, 'gateways');
  await page.goto(new URL('#/mesh', url).href);
  await page.waitForSelector('#mesh-svg');
  check(/neighbour/.test(await page.textContent('#mesh-explain')), 'my mesh draws the mesh and explains it');
  await shot(page, 'mesh');
  await page.goto(new URL('#/settings', url).href);
  await page.waitForSelector('#admin-password, #hostname');
  await shot(page, 'settings');
}

// A lime-sim node (phase "sim", added for tests/scenarios/limed_sim_ui.sh): every page shows
// the sim's real mesh (--neighbours a,b, --nodes a,b,c, --gateway g), then the hostname is
// changed through the UI, applied by lime-config (--root is the node's root) and shown.
async function sim(page) {
  // a row's text runs the name into its address ("n1fe80::…", "n110.13.1.1"): the name
  // ends where an address, a non-word character or the text ends
  const nameIn = n => new RegExp(`(?<=^|[^\\w-]|link|online|gone|ago|this node)${n}(?=fe80|\\d+\\.|[^\\w-]|$)`);
  const want = s => (args[s] || '').split(',').filter(Boolean);
  for (const n of want('neighbours')) {
    const nb = await waitText(page, '#/status', '#neighbour-list', nameIn(n), 120000);
    check(/link/.test(nb), `status lists sim neighbour ${n} with its link quality`);
  }
  check(/Yes/.test(await waitText(page, '#/status', '#internet-status', /Yes/, 120000)),
    'status says the node reaches the internet');
  // the way out names the gateway once this node knows its name (shared-state): until
  // then the last hop reads "… (gateway)", so wait for it as for the rest
  const gwRe = new RegExp(`${args.gateway} \\(gateway\\)`);
  check(gwRe.test(await waitText(page, '#/status', '#gateway-path', gwRe, 60000)),
    `status shows the path to the sim gateway ${args.gateway}`);
  await shot(page, 'status');
  for (const n of want('nodes')) {
    const nodes = await waitText(page, '#/nodes', '#node-list', nameIn(n), 90000);
    check(nodes.includes(n), `nodes page lists sim node ${n}`);
  }
  await shot(page, 'nodes');
  const gw = await waitText(page, '#/gateways', '#gateway-in-use', new RegExp(args.gateway), 60000);
  check(gw.includes(args.gateway), `internet page says the gateway in use is ${args.gateway}`);
  await shot(page, 'gateways');
  await waitText(page, '#/mesh', '#mesh-svg', new RegExp(want('neighbours')[0] || '.'), 60000);
  check(/neighbour/.test(await page.textContent('#mesh-explain')), 'my mesh draws the mesh and explains it');
  await shot(page, 'mesh');
  await page.goto(new URL('#/settings', url).href);
  await adminLogin(page, ROOT_PW);
  await page.waitForSelector('#hostname');
  await shot(page, 'settings');
  await page.fill('#hostname', args.newname);
  await page.click('#save-hostname');
  await waitApplied(page, `Node name: ${args.newname}`);
  await page.waitForFunction(n => document.getElementById('header-hostname').textContent === n,
    args.newname, { timeout: 30000 });
  check(true, `hostname change applied: header shows ${args.newname}`);
  const sys = readFileSync(join(args.root, 'etc/config/system'), 'utf8');
  check(sys.includes(`hostname '${args.newname}'`), 'lime-config wrote the new hostname to etc/config/system');
  await shot(page, 'hostname-applied');
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
let rc = 0;
try {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
    isMobile: true, hasTouch: true, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.setDefaultTimeout(20000);
  try {
    await ({ wizard, main, tour, gone, path, sim }[args.phase] || main)(page);
    check(errors.length === 0, `no JavaScript errors (${errors.join('; ')})`);
  } catch (e) {
    rc = 1;
    console.log(`FAIL ${e.message}`);
    await shot(page, 'failure').catch(() => {});
  }
} finally {
  await browser.close();
}
process.exit(rc);
