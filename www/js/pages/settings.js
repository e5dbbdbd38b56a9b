// Settings (admin): node name, Wi-Fi name and password, community network name, shared
// admin password. Network changes are staged and applied from the banner at the top.
import { call, adminCall } from '../api.js';
import { h, card, msg } from '../ui.js';

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
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: buttonId }, 'Save')), out);
  return form;
}

const val = (form, id) => form.querySelector(`#${id}`).value.trim();

async function build(main, app) {
  const [board, ap] = await Promise.all([call('system', 'board'),
    adminCall('wireless-service-admin', 'get_access_points_data')]);
  const staged = async () => { await app.refreshPending(); return 'Saved as a pending change. Press “Apply now” at the top when you are ready.'; };

  const hostname = formCard('Node name', 'A short name for this node, e.g. the place where it is: lowercase letters, digits and “-”.',
    field('hostname', 'Name', { value: board.hostname, autocapitalize: 'none', autocomplete: 'off', spellcheck: 'false', pattern: '[a-z0-9-]{3,32}' }),
    async (f) => {
      const name = val(f, 'hostname');
      if (!/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/.test(name)) throw new Error('Use 3 to 32 lowercase letters, digits or “-”.');
      await adminCall('lime-utils-admin', 'set_hostname', { hostname: name });
      return staged();
    }, 'save-hostname');

  const wifi = formCard('This node’s Wi-Fi', 'The Wi-Fi network only this node offers, besides the community one.',
    [...field('ap-name', 'Wi-Fi name', { value: ap.node_ap.ssid, maxlength: 32 }),
      ...field('ap-password', 'Wi-Fi password', { type: 'password', value: ap.node_ap.password || '', autocomplete: 'new-password' }, 'Leave empty for an open network; otherwise at least 8 characters.')],
    async (f) => {
      const pw = val(f, 'ap-password');
      if (pw && pw.length < 8) throw new Error('The Wi-Fi password needs at least 8 characters.');
      const args = { has_password: !!pw, password: pw };
      if (val(f, 'ap-name') !== ap.node_ap.ssid) args.ssid = val(f, 'ap-name');
      await adminCall('wireless-service-admin', 'set_node_ap', args);
      return staged();
    }, 'save-wifi');

  const community = formCard('Community network', 'The name of the Wi-Fi network shared by all nodes of the community. Nodes with the same name form one “cloud”: phones move between them without losing the connection. Change it only if your whole community does.',
    field('community-ssid', 'Community network name', { value: ap.community_ap.ssid, maxlength: 28 }),
    async (f) => {
      const ssid = val(f, 'community-ssid');
      if (!ssid || ssid.includes('/')) throw new Error('Give a name without “/”.');
      await adminCall('lime-utils-admin', 'change_config', { changes: [{ config: 'lime-community', section: 'wifi', option: 'ap_ssid', value: ssid }] });
      return staged();
    }, 'save-community');

  const password = formCard('Shared admin password', 'The password your community uses to change settings on any node. At least 10 characters with a letter and a digit. It changes right away.',
    [...field('pw1', 'New password', { type: 'password', autocomplete: 'new-password' }),
      ...field('pw2', 'Type it again', { type: 'password', autocomplete: 'new-password' })],
    async (f) => {
      const a = val(f, 'pw1'), b = val(f, 'pw2');
      if (a.length < 10 || !/[0-9]/.test(a) || !/[A-Za-z]/.test(a)) throw new Error('Use at least 10 characters, with a letter and a digit.');
      if (a !== b) throw new Error('The two passwords are different.');
      await adminCall('lime-utils-admin', 'set_root_password', { password: a });
      return 'The admin password was changed.';
    }, 'save-password');

  const wizardLink = card(h('h2', {}, 'Set up again'),
    h('p', { class: 'hint' }, 'Join another network found nearby, or create a new one.'),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => { location.hash = '#/wizard'; } }, 'Open the first-boot wizard')));

  main.replaceChildren(h('h1', {}, 'Settings'), hostname, wifi, community, password, wizardLink);
}

export async function render(main, app) {
  main.replaceChildren(h('h1', {}, 'Settings'));
  const box = h('div');
  main.append(box);
  app.adminGate(box, () => build(main, app).catch(e => main.replaceChildren(h('h1', {}, 'Settings'), msg('error', e.message))));
}
