// Internet gateways: which one this node uses, the others, and a preferred one.
import { call, adminCall, isAdmin } from '../api.js';
import { h, card, msg, nodeName } from '../ui.js';

export async function render(main, app) {
  const g = await call('lime-utils', 'get_gateways');
  const v4 = g.gateways.filter(x => x.family === '4');
  const used = v4.find(x => x.in_use);
  const out = h('div');
  const current = g.preferred_pending || '';

  const options = [{ value: '', label: 'Automatic — the closest working gateway (recommended)' },
    ...v4.map(x => ({ value: x.hostname || x.ip, label: `${nodeName(x)}${x.in_use ? ' (in use now)' : ''}` }))];
  if (current && !options.some(o => o.value === current)) options.push({ value: current, label: `${current} (not seen now)` });

  const form = h('form', { onsubmit: async (ev) => {
    ev.preventDefault();
    const value = new FormData(form).get('gw') || '';
    if (!isAdmin()) { out.replaceChildren(msg('info', 'Enter the admin password in Settings first.')); return; }
    try {
      await adminCall('lime-utils-admin', 'set_preferred_gateway', { gateway: value });
      out.replaceChildren(msg('ok', 'Saved. Press “Apply now” at the top to use it.'));
      app.refreshPending();
    } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } },
  options.map(o => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'gw', value: o.value, checked: o.value === current }),
    h('span', {}, o.label))),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save-gateway' }, 'Save choice')), out);

  main.replaceChildren(
    h('h1', {}, 'Internet'),
    card(h('h2', {}, 'Gateway in use'),
      h('p', { id: 'gateway-in-use' }, g.this_node_is_gateway ? 'This node has its own internet connection and shares it with the mesh.'
        : used ? ['Your traffic to the internet leaves the mesh at ', h('strong', {}, nodeName(used)), '.']
          : 'No gateway is reachable right now.'),
      h('p', { class: 'hint' }, 'A gateway is a node with an internet connection that it shares with the whole mesh.')),
    card(h('h2', {}, `Gateways in the mesh (${v4.length})`),
      v4.length ? h('ul', { class: 'list', id: 'gateway-list' }, v4.map(x => h('li', { class: 'row' },
        h('div', { class: 'grow' }, h('div', { class: 'name' }, nodeName(x)), h('div', { class: 'small muted' }, `${x.ip} · route cost ${x.metric} (lower is closer)`)),
        x.in_use ? h('span', { class: 'badge' }, 'in use') : h('span', { class: 'badge grey' }, 'available'))))
        : h('p', { class: 'muted', id: 'gateway-list' }, 'No node announces an internet connection.')),
    card(h('h2', {}, 'Preferred gateway'),
      h('p', { class: 'hint' }, 'Normally the mesh picks the best gateway by itself. You can prefer one, for example the one your community pays for.'),
      form));
}
