// App shell: hash router, header, the pending-changes banner, the admin gate.
import { call, adminCall, adminLogin, isAdmin, adminLogout, tryAdminWithoutPassword } from './api.js';
import { h, msg } from './ui.js';
import { lang, t, tn, translateStatic, toggleLanguage } from './i18n.js';
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

// Is the node still in its first boot (locked in the wizard)? Asked once, when the first
// page is routed; the wizard clears it when the node is set up or the wizard dismissed.
let wizardLock = null;

export const app = {
  refreshPending,
  refreshHeader,
  adminGate,
  wizardDone() { wizardLock = Promise.resolve(false); },
};

async function refreshHeader() {
  try {
    const b = await call('system', 'board');
    document.getElementById('header-hostname').textContent = b.hostname;
    document.title = `${b.hostname} · LiMe`;
    const ap = await call('wireless-service', 'get_access_points_data').catch(() => null);
    if (ap) document.getElementById('subtitle').textContent = t('header.network', { ssid: ap.community_ap.ssid });
  } catch (e) {
    document.getElementById('header-hostname').textContent = t('header.unreachable');
  }
  const chip = document.getElementById('admin-chip');
  chip.hidden = !isAdmin();
}

document.getElementById('admin-chip').addEventListener('click', () => {
  if (confirm(t('admin.leave_confirm'))) { adminLogout(); refreshHeader(); route(); }
});

// The banner listing staged changes; Apply / Discard; the last apply's result.
// One poll chain, ever: every call cancels the scheduled one and schedules the next when
// it is done (0.7 s while an apply runs, else 5 s); a call while one is in flight only
// asks it to run once more.
const POLL_MS = 5000, POLL_APPLYING_MS = 700;
let pendingTimer = null, pendingBusy = false, pendingAgain = false;

async function refreshPending() {
  if (pendingBusy) { pendingAgain = true; return; }
  clearTimeout(pendingTimer);
  pendingTimer = null;
  pendingBusy = true;
  let next = POLL_MS;
  try {
    next = await drawPending();
  } catch { /* keep the last banner */ } finally {
    pendingBusy = false;
    if (pendingAgain) { pendingAgain = false; next = 0; }
    pendingTimer = setTimeout(refreshPending, next);
  }
}

// Draws the banner; returns when to look again.
async function drawPending() {
  const box = document.getElementById('pending');
  const p = await call('lime-utils', 'get_pending_changes');
  const state = p.apply.state;
  box.replaceChildren();
  box.classList.toggle('failed', state === 'failed');
  if (state === 'ok' && lastApplyState === 'running') refreshHeader();
  lastApplyState = state;
  if (!p.changes.length && state !== 'running') { box.hidden = true; return POLL_MS; }
  box.hidden = false;
  if (state === 'running') {
    box.append(h('div', {}, h('span', { class: 'spinner' }), ' ', t('pending.applying')));
    return POLL_APPLYING_MS;
  }
  box.append(h('strong', {}, t('pending.count', { n: p.changes.length })),
    // labels come from the node (English, as lime-config's reasons)
    h('ul', {}, p.changes.map(c => h('li', {}, c.label))));
  if (state === 'failed') {
    box.append(h('div', { class: 'msg error', role: 'alert', id: 'apply-error' },
      ...tn('pending.failed', { reason: p.apply.message })));
  }
  const out = h('div');
  box.append(h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'apply-btn', onclick: () => doApply(out) }, t('pending.apply')),
    h('button', { type: 'button', class: 'secondary', onclick: () => doDiscard(out) }, t('pending.discard'))), out);
  return POLL_MS;
}

async function doApply(out) {
  if (!isAdmin()) { out.replaceChildren(msg('info', t('pending.need_admin_apply'))); return; }
  try { await adminCall('lime-utils-admin', 'apply'); } catch (e) { out.replaceChildren(msg('error', e.message)); return; }
  lastApplyState = 'running'; // it may be over before the next poll sees it running
  refreshPending();
}

async function doDiscard(out) {
  if (!isAdmin()) { out.replaceChildren(msg('info', t('pending.need_admin'))); return; }
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
    } catch (e) { out.replaceChildren(msg('error', e.code === 6 ? t('admin.wrong_password') : e.message)); }
  };
  container.replaceChildren(h('form', { class: 'card', onsubmit: submit },
    h('h2', {}, t('admin.title')),
    h('p', { class: 'hint' }, t('admin.hint')),
    h('label', { for: 'admin-password' }, t('admin.password')), pw,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'admin-login' }, t('admin.enter'))), out));
  // A node without a password yet (fresh) lets root in with an empty one.
  tryAdminWithoutPassword().then(ok => { if (ok) { refreshHeader(); container.replaceChildren(); build(); } });
}

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* page gone */ } cleanup = null; }
  let name = (location.hash.match(/^#\/([a-z]+)/) || [])[1] || 'status';
  if (!pages[name]) name = 'status';
  // A node still in its first boot goes to the wizard until set up or dismissed.
  if (name !== 'wizard') {
    if (!wizardLock) wizardLock = call('lime-fbw', 'status').then(s => !!s.lock, () => false);
    if (await wizardLock) { location.hash = '#/wizard'; return; }
  }
  document.getElementById('tabs').hidden = name === 'wizard';
  for (const a of document.querySelectorAll('.tabs a')) a.classList.toggle('active', a.dataset.page === name);
  main.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  try {
    cleanup = await pages[name].render(main, app) || null;
  } catch (e) {
    main.replaceChildren(msg('error', t('common.page_failed', { reason: e.message })));
  }
  main.focus({ preventScroll: true });
}

translateStatic();
const langBtn = document.getElementById('lang-toggle');
langBtn.textContent = lang === 'es' ? 'EN' : 'ES';
langBtn.title = lang === 'es' ? 'English' : 'Español';
langBtn.addEventListener('click', toggleLanguage);

window.addEventListener('hashchange', route);
refreshHeader();
refreshPending();
route();
