// Settings (admin): node name, Wi-Fi name and password, community network name, shared
// admin password. Network changes are staged and applied from the banner at the top.
import { call, adminCall } from '../api.js';
import { h, card, msg } from '../ui.js';
import { t } from '../i18n.js';

function field(id, label, attrs = {}, hint) {
  return [h('label', { for: id }, label), hint ? h('p', { class: 'hint' }, hint) : null,
    h('input', { id, name: id, type: 'text', ...attrs })];
}

function formCard(title, hint, fields, onSave, buttonId) {
  const out = h('div');
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    try { out.replaceChildren(msg('ok', await onSave(form))); } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } }, h('h2', {}, title), hint ? h('p', { class: 'hint' }, hint) : null, ...fields,
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: buttonId }, t('settings.save'))), out);
  return form;
}

const val = (form, id) => form.querySelector(`#${id}`).value.trim();

async function build(main, app) {
  const [board, ap] = await Promise.all([call('system', 'board'),
    adminCall('wireless-service-admin', 'get_access_points_data')]);
  const staged = async () => { await app.refreshPending(); return t('settings.staged'); };

  const hostname = formCard(t('settings.hostname.title'), t('settings.hostname.hint'),
    field('hostname', t('settings.hostname.label'), { value: board.hostname, autocapitalize: 'none', autocomplete: 'off', spellcheck: 'false', pattern: '[a-z0-9-]{3,32}' }),
    async (f) => {
      const name = val(f, 'hostname');
      if (!/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/.test(name)) throw new Error(t('settings.hostname.invalid'));
      await adminCall('lime-utils-admin', 'set_hostname', { hostname: name });
      return staged();
    }, 'save-hostname');

  const wifi = formCard(t('settings.wifi.title'), t('settings.wifi.hint'),
    [...field('ap-name', t('settings.wifi.name'), { value: ap.node_ap.ssid, maxlength: 32 }),
      ...field('ap-password', t('settings.wifi.password'), { type: 'password', value: ap.node_ap.password || '', autocomplete: 'new-password' }, t('settings.wifi.password_hint'))],
    async (f) => {
      const pw = val(f, 'ap-password');
      if (pw && pw.length < 8) throw new Error(t('settings.wifi.password_short'));
      const args = { has_password: !!pw, password: pw };
      if (val(f, 'ap-name') !== ap.node_ap.ssid) args.ssid = val(f, 'ap-name');
      await adminCall('wireless-service-admin', 'set_node_ap', args);
      return staged();
    }, 'save-wifi');

  const community = formCard(t('settings.community.title'), t('settings.community.hint'),
    field('community-ssid', t('settings.community.label'), { value: ap.community_ap.ssid, maxlength: 28 }),
    async (f) => {
      const ssid = val(f, 'community-ssid');
      if (!ssid || ssid.includes('/')) throw new Error(t('settings.community.invalid'));
      await adminCall('lime-utils-admin', 'change_config', { changes: [{ config: 'lime-community', section: 'wifi', option: 'ap_ssid', value: ssid }] });
      return staged();
    }, 'save-community');

  const password = formCard(t('settings.password.title'), t('settings.password.hint'),
    [...field('pw1', t('settings.password.new'), { type: 'password', autocomplete: 'new-password' }),
      ...field('pw2', t('settings.password.again'), { type: 'password', autocomplete: 'new-password' })],
    async (f) => {
      const a = val(f, 'pw1'), b = val(f, 'pw2');
      if (a.length < 10 || !/[0-9]/.test(a) || !/[A-Za-z]/.test(a)) throw new Error(t('settings.password.weak'));
      if (a !== b) throw new Error(t('settings.password.different'));
      await adminCall('lime-utils-admin', 'set_root_password', { password: a });
      return t('settings.password.changed');
    }, 'save-password');

  const wizardLink = card(h('h2', {}, t('settings.again.title')),
    h('p', { class: 'hint' }, t('settings.again.hint')),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => { location.hash = '#/wizard'; } }, t('settings.again.button'))));

  main.replaceChildren(h('h1', {}, t('settings.title')), hostname, wifi, community, password, wizardLink);
}

export async function render(main, app) {
  main.replaceChildren(h('h1', {}, t('settings.title')));
  const box = h('div');
  main.append(box);
  app.adminGate(box, () => build(main, app).catch(e => main.replaceChildren(h('h1', {}, t('settings.title')), msg('error', e.message))));
}
