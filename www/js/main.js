// App shell: hash router, header, the pending-changes banner, the admin gate.
import { call, adminCall, adminLogin, isAdmin, adminLogout, tryAdminWithoutPassword } from './api.js';
import { h, msg } from './ui.js';
import { lang, startTranslation, toggleLanguage } from './i18n.js';
import * as status from './pages/status.js';
import * as nodes from './pages/nodes.js';
import * as gateways from './pages/gateways.js';
import * as mesh from './pages/mesh.js';
import * as settings from './pages/settings.js';
import * as wizard from './pages/wizard.js';

const pages = { status, nodes, gateways, mesh, settings, wizard };
const main = document.getElementById('page');
let cleanup = null;
let lastApplyState = null;

export const app = {
  refreshPending,
  refreshHeader,
  adminGate,
};

async function refreshHeader() {
  try {
    const b = await call('system', 'board');
    document.getElementById('header-hostname').textContent = b.hostname;
    document.title = `${b.hostname} · LiMe`;
    const ap = await call('wireless-service', 'get_access_points_data').catch(() => null);
    if (ap) document.getElementById('subtitle').textContent = `network “${ap.community_ap.ssid}”`;
  } catch (e) {
    document.getElementById('header-hostname').textContent = 'node not reachable';
  }
  const chip = document.getElementById('admin-chip');
  chip.hidden = !isAdmin();
}

document.getElementById('admin-chip').addEventListener('click', () => {
  if (confirm('Leave admin mode on this phone?')) { adminLogout(); refreshHeader(); route(); }
});

// The banner listing staged changes; Apply / Discard; the last apply's result.
async function refreshPending() {
  const box = document.getElementById('pending');
  let p;
  try { p = await call('lime-utils', 'get_pending_changes'); } catch { return; }
  const state = p.apply.state;
  box.replaceChildren();
  box.classList.toggle('failed', state === 'failed');
  if (state === 'ok' && lastApplyState === 'running') refreshHeader();
  lastApplyState = state;
  if (!p.changes.length && state !== 'running') { box.hidden = true; return; }
  box.hidden = false;
  if (state === 'running') {
    box.append(h('div', {}, h('span', { class: 'spinner' }), ' Applying your changes…'));
    setTimeout(refreshPending, 700);
    return;
  }
  box.append(h('strong', {}, p.changes.length === 1 ? '1 change waiting to be applied' : `${p.changes.length} changes waiting to be applied`),
    h('ul', {}, p.changes.map(c => h('li', {}, c.label))));
  if (state === 'failed') {
    box.append(h('div', { class: 'msg error', role: 'alert', id: 'apply-error' },
      'These changes could not be applied, so the node keeps its previous settings. Reason: ', p.apply.message));
  }
  const out = h('div');
  box.append(h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'apply-btn', onclick: () => doApply(out) }, 'Apply now'),
    h('button', { type: 'button', class: 'secondary', onclick: () => doDiscard(out) }, 'Discard')), out);
}

async function doApply(out) {
  if (!isAdmin()) { out.replaceChildren(msg('info', 'Open Settings and enter the admin password to apply.')); return; }
  try { await adminCall('lime-utils-admin', 'apply'); } catch (e) { out.replaceChildren(msg('error', e.message)); return; }
  lastApplyState = 'running'; // it may be over before the next poll sees it running
  refreshPending();
}

async function doDiscard(out) {
  if (!isAdmin()) { out.replaceChildren(msg('info', 'Open Settings and enter the admin password first.')); return; }
  try { await adminCall('lime-utils-admin', 'discard_changes'); } catch (e) { out.replaceChildren(msg('error', e.message)); return; }
  refreshPending();
  route();
}

// Renders `build` once the phone holds an admin session; otherwise asks the password.
function adminGate(container, build) {
  if (isAdmin()) { build(); return; }
  const pw = h('input', { type: 'password', id: 'admin-password', autocomplete: 'current-password' });
  const out = h('div');
  const submit = async (ev) => {
    ev.preventDefault();
    try {
      await adminLogin(pw.value);
      refreshHeader();
      container.replaceChildren();
      build();
    } catch (e) { out.replaceChildren(msg('error', e.code === 6 ? 'That is not the admin password.' : e.message)); }
  };
  container.replaceChildren(h('form', { class: 'card', onsubmit: submit },
    h('h2', {}, 'Admin password'),
    h('p', { class: 'hint' }, 'Changing settings needs the shared admin password of your community network. Ask the people who set up the network if you do not know it.'),
    h('label', { for: 'admin-password' }, 'Password'), pw,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'admin-login' }, 'Enter')), out));
  // A node without a password yet (fresh) lets root in with an empty one.
  tryAdminWithoutPassword().then(ok => { if (ok) { refreshHeader(); container.replaceChildren(); build(); } });
}

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* page gone */ } cleanup = null; }
  let name = (location.hash.match(/^#\/([a-z]+)/) || [])[1] || 'status';
  if (!pages[name]) name = 'status';
  // A node still in its first boot goes to the wizard until set up or dismissed.
  if (name !== 'wizard') {
    const fbw = await call('lime-fbw', 'status').catch(() => ({ lock: false }));
    if (fbw.lock) { location.hash = '#/wizard'; return; }
  }
  document.getElementById('tabs').hidden = name === 'wizard';
  for (const a of document.querySelectorAll('.tabs a')) a.classList.toggle('active', a.dataset.page === name);
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    cleanup = await pages[name].render(main, app) || null;
  } catch (e) {
    main.replaceChildren(msg('error', `This page could not load: ${e.message}`));
  }
  main.focus({ preventScroll: true });
}

startTranslation();
const langBtn = document.getElementById('lang-toggle');
langBtn.textContent = lang === 'es' ? 'EN' : 'ES';
langBtn.title = lang === 'es' ? 'English' : 'Español';
langBtn.addEventListener('click', toggleLanguage);

window.addEventListener('hashchange', route);
refreshHeader();
refreshPending();
setInterval(refreshPending, 5000);
route();
