// First-boot wizard: join a network found nearby (its settings are fetched from a
// neighbouring node) or create a new one.
import { call, adminCall } from '../api.js';
import { h, card, msg, quality, spinner } from '../ui.js';

const sleep = (ms) => new Promise(r => setTimeout(r, ms));
let alive = false;
let appRef = null;

function nameField(id = 'node-name-input') {
  return [h('label', { for: id }, 'Name for this node'),
    h('p', { class: 'hint' }, 'e.g. the place where it is: lowercase letters, digits and “-”.'),
    h('input', { id, type: 'text', autocapitalize: 'none', autocomplete: 'off', spellcheck: 'false', required: true })];
}

function checkName(name) {
  if (!/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/.test(name)) throw new Error('The node name needs 3 to 32 lowercase letters, digits or “-”.');
}

// After set_network / create_network: wait for the apply to finish.
async function waitApplied(main, what) {
  main.replaceChildren(h('h1', {}, 'Setting up'), card(spinner(`Configuring this node for ${what}…`)));
  for (let i = 0; i < 120 && alive; i++) {
    const p = await call('lime-utils', 'get_pending_changes').catch(() => null);
    if (p && p.apply.state === 'ok') {
      const b = await call('system', 'board');
      if (appRef) appRef.refreshHeader();
      main.replaceChildren(h('h1', {}, 'Done!'), card(
        h('p', { id: 'wizard-done' }, `This node is now part of ${what}. Its name is `, h('strong', {}, b.hostname), '.'),
        h('p', { class: 'hint' }, 'Phones connected to the old Wi-Fi may need to reconnect to the new one.'),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { location.hash = '#/status'; } }, 'See the status'))));
      return;
    }
    if (p && p.apply.state === 'failed') {
      main.replaceChildren(h('h1', {}, 'Setup failed'), card(
        msg('error', `The node keeps its previous settings. Reason: ${p.apply.message}`),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => start(main) }, 'Back to the wizard'))));
      return;
    }
    await sleep(700);
  }
}

async function join(main) {
  main.replaceChildren(h('h1', {}, 'Join a network'), card(spinner('Looking for networks nearby…')));
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
  const rescan = h('button', { type: 'button', class: 'secondary', onclick: () => join(main) }, 'Search again');
  if (!nets.length) {
    main.replaceChildren(h('h1', {}, 'Join a network'), card(
      h('p', { id: 'no-networks' }, 'No network was found nearby.'),
      h('p', { class: 'hint' }, 'Nodes of a network show up here when this node can hear them. Move closer, check the cable or antenna, and search again — or create a new network.'),
      h('div', { class: 'actions' }, rescan, h('button', { type: 'button', class: 'secondary', onclick: () => start(main) }, 'Back'))));
    return;
  }
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const file = new FormData(form).get('net');
    const name = form.querySelector('#node-name-input').value.trim();
    try {
      if (!file) throw new Error('Choose a network first.');
      checkName(name);
      const net = nets.find(n => n.file === file);
      await adminCall('lime-fbw', 'set_network', { file, hostname: name });
      await waitApplied(main, `the network “${net.config.wifi.ap_ssid}”`);
    } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } },
  h('h2', {}, `Networks found (${nets.length})`),
  h('div', { id: 'network-list' }, nets.map((n, i) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'net', value: n.file, checked: i === 0 }),
    h('span', { class: 'grow' }, h('span', { class: 'name' }, n.config.wifi.ap_ssid),
      h('span', { class: 'small muted' }, ` — heard from ${n.host}, ${quality(n.signal).word.toLowerCase()} signal`))))),
  ...nameField(),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'join-network' }, 'Join this network'), rescan), out);
  main.replaceChildren(h('h1', {}, 'Join a network'), form);
}

function create(main) {
  const out = h('div');
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const net = form.querySelector('#network-name').value.trim();
    const name = form.querySelector('#node-name-input').value.trim();
    const a = form.querySelector('#new-pw1').value, b = form.querySelector('#new-pw2').value;
    try {
      if (!net || net.includes('/') || net.length > 28) throw new Error('Give the network a name (up to 28 characters, no “/”).');
      checkName(name);
      if (a.length < 10 || !/[0-9]/.test(a) || !/[A-Za-z]/.test(a)) throw new Error('The admin password needs at least 10 characters, with a letter and a digit.');
      if (a !== b) throw new Error('The two passwords are different.');
      await adminCall('lime-fbw', 'create_network', { network: net, hostname: name, adminPassword: a });
      await waitApplied(main, `the new network “${net}”`);
    } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } },
  h('label', { for: 'network-name' }, 'Network name'),
  h('p', { class: 'hint' }, 'The Wi-Fi name all nodes of your community will share, e.g. your neighbourhood.'),
  h('input', { id: 'network-name', type: 'text', maxlength: 28, required: true }),
  ...nameField(),
  h('label', { for: 'new-pw1' }, 'Admin password for the network'),
  h('p', { class: 'hint' }, 'Shared by the people who look after the network. At least 10 characters, a letter and a digit.'),
  h('input', { id: 'new-pw1', type: 'password', autocomplete: 'new-password' }),
  h('label', { for: 'new-pw2' }, 'Type it again'),
  h('input', { id: 'new-pw2', type: 'password', autocomplete: 'new-password' }),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'create-network' }, 'Create network'),
    h('button', { type: 'button', class: 'secondary', onclick: () => start(main) }, 'Back')), out);
  main.replaceChildren(h('h1', {}, 'Create a network'), form);
}

function start(main, app) {
  const out = h('div');
  main.replaceChildren(h('h1', {}, 'Welcome'), card(
    h('p', {}, 'This node is new. Let’s connect it to a community network.'),
    h('div', { class: 'actions', style: 'flex-direction:column' },
      h('button', { type: 'button', id: 'wizard-join', onclick: () => join(main).catch(e => out.replaceChildren(msg('error', e.message))) }, 'Join a network nearby'),
      h('button', { type: 'button', id: 'wizard-create', class: 'secondary', onclick: () => create(main) }, 'Create a new network'),
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await call('lime-fbw', 'dismiss').catch(() => null);
        location.hash = '#/status';
      } }, 'Not now')), out));
}

export async function render(main, app) {
  alive = true;
  appRef = app;
  main.replaceChildren(h('h1', {}, 'Welcome'));
  const box = h('div');
  main.append(box);
  app.adminGate(box, () => start(main, app));
  return () => { alive = false; };
}
