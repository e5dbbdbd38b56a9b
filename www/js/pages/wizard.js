// First-boot wizard: join a network found nearby (its settings are fetched from a
// neighbouring node) or create a new one.
import { call, adminCall } from '../api.js';
import { h, card, msg, quality, spinner } from '../ui.js';
import { t, tn } from '../i18n.js';

const sleep = (ms) => new Promise(r => setTimeout(r, ms));
let alive = false;
let appRef = null;

function nameField(id = 'node-name-input') {
  return [h('label', { for: id }, t('wizard.name')),
    h('p', { class: 'hint' }, t('wizard.name_hint')),
    h('input', { id, type: 'text', autocapitalize: 'none', autocomplete: 'off', spellcheck: 'false', required: true })];
}

function checkName(name) {
  if (!/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/.test(name)) throw new Error(t('wizard.name_invalid'));
}

// After set_network / create_network: wait for the apply to finish. what: the network,
// in words ("the network “X”").
async function waitApplied(main, what) {
  main.replaceChildren(h('h1', {}, t('wizard.setting_up')), card(spinner(t('wizard.configuring', { what }))));
  for (let i = 0; i < 120 && alive; i++) {
    const p = await call('lime-utils', 'get_pending_changes').catch(() => null);
    if (p && p.apply.state === 'ok') {
      const b = await call('system', 'board');
      if (appRef) { appRef.wizardDone(); appRef.refreshHeader(); }
      main.replaceChildren(h('h1', {}, t('wizard.done')), card(
        h('p', { id: 'wizard-done' }, ...tn('wizard.done_text', { what, name: h('strong', {}, b.hostname) })),
        h('p', { class: 'hint' }, t('wizard.reconnect')),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { location.hash = '#/status'; } }, t('wizard.see_status')))));
      return;
    }
    if (p && p.apply.state === 'failed') {
      main.replaceChildren(h('h1', {}, t('wizard.failed')), card(
        msg('error', t('wizard.failed_text', { reason: p.apply.message })),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => start(main) }, t('wizard.back_to_wizard')))));
      return;
    }
    await sleep(700);
  }
}

async function join(main) {
  main.replaceChildren(h('h1', {}, t('wizard.join_title')), card(spinner(t('wizard.looking'))));
  await adminCall('lime-fbw', 'start');
  let st;
  for (let i = 0; i < 30 && alive; i++) {
    st = await adminCall('lime-fbw', 'status');
    if (st.status === 'scanned') break;
    await sleep(1000);
  }
  if (!alive) return;
  const nets = (st && st.networks) || [];
  const out = h('div');
  const rescan = h('button', { type: 'button', class: 'secondary', onclick: () => join(main) }, t('wizard.search_again'));
  if (!nets.length) {
    main.replaceChildren(h('h1', {}, t('wizard.join_title')), card(
      h('p', { id: 'no-networks' }, t('wizard.none_found')),
      h('p', { class: 'hint' }, t('wizard.none_found_hint')),
      h('div', { class: 'actions' }, rescan, h('button', { type: 'button', class: 'secondary', onclick: () => start(main) }, t('wizard.back')))));
    return;
  }
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const file = new FormData(form).get('net');
    const name = form.querySelector('#node-name-input').value.trim();
    try {
      if (!file) throw new Error(t('wizard.choose_first'));
      checkName(name);
      const net = nets.find(n => n.file === file);
      await adminCall('lime-fbw', 'set_network', { file, hostname: name });
      await waitApplied(main, t('wizard.the_network', { ssid: net.config.wifi.ap_ssid }));
    } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } },
  h('h2', {}, t('wizard.found', { n: nets.length })),
  h('div', { id: 'network-list' }, nets.map((n, i) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'net', value: n.file, checked: i === 0 }),
    h('span', { class: 'grow' }, h('span', { class: 'name' }, n.config.wifi.ap_ssid),
      h('span', { class: 'small muted' }, t('wizard.heard_from', { host: n.host, signal: t(`quality.${quality(n.signal).level}.signal`) })))))),
  ...nameField(),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'join-network' }, t('wizard.join_button')), rescan), out);
  main.replaceChildren(h('h1', {}, t('wizard.join_title')), form);
}

function create(main) {
  const out = h('div');
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const net = form.querySelector('#network-name').value.trim();
    const name = form.querySelector('#node-name-input').value.trim();
    const a = form.querySelector('#new-pw1').value, b = form.querySelector('#new-pw2').value;
    try {
      if (!net || net.includes('/') || net.length > 28) throw new Error(t('wizard.network_invalid'));
      checkName(name);
      if (a.length < 10 || !/[0-9]/.test(a) || !/[A-Za-z]/.test(a)) throw new Error(t('wizard.password_weak'));
      if (a !== b) throw new Error(t('settings.password.different'));
      await adminCall('lime-fbw', 'create_network', { network: net, hostname: name, adminPassword: a });
      await waitApplied(main, t('wizard.the_new_network', { ssid: net }));
    } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } },
  h('label', { for: 'network-name' }, t('wizard.network_name')),
  h('p', { class: 'hint' }, t('wizard.network_name_hint')),
  h('input', { id: 'network-name', type: 'text', maxlength: 28, required: true }),
  ...nameField(),
  h('label', { for: 'new-pw1' }, t('wizard.password')),
  h('p', { class: 'hint' }, t('wizard.password_hint')),
  h('input', { id: 'new-pw1', type: 'password', autocomplete: 'new-password' }),
  h('label', { for: 'new-pw2' }, t('settings.password.again')),
  h('input', { id: 'new-pw2', type: 'password', autocomplete: 'new-password' }),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'create-network' }, t('wizard.create_button')),
    h('button', { type: 'button', class: 'secondary', onclick: () => start(main) }, t('wizard.back'))), out);
  main.replaceChildren(h('h1', {}, t('wizard.create_title')), form);
}

function start(main, app) {
  const out = h('div');
  main.replaceChildren(h('h1', {}, t('wizard.welcome')), card(
    h('p', {}, t('wizard.welcome_text')),
    h('div', { class: 'actions', style: 'flex-direction:column' },
      h('button', { type: 'button', id: 'wizard-join', onclick: () => join(main).catch(e => out.replaceChildren(msg('error', e.message))) }, t('wizard.join')),
      h('button', { type: 'button', id: 'wizard-create', class: 'secondary', onclick: () => create(main) }, t('wizard.create')),
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await call('lime-fbw', 'dismiss').catch(() => null);
        if (appRef) appRef.wizardDone();
        location.hash = '#/status';
      } }, t('wizard.not_now'))), out));
}

export async function render(main, app) {
  alive = true;
  appRef = app;
  main.replaceChildren(h('h1', {}, t('wizard.welcome')));
  const box = h('div');
  main.append(box);
  app.adminGate(box, () => start(main, app));
  return () => { alive = false; };
}
