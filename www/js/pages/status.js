// Status: this node, internet yes/no and the way to it, neighbours and link quality.
import { call } from '../api.js';
import { h, card, duration, meter, quality, nodeName, msg } from '../ui.js';

async function load() {
  const [node, net, path, nb] = await Promise.all([
    call('lime-utils', 'get_node_status'),
    call('lime-metrics', 'get_internet_status'),
    call('lime-metrics', 'get_path'),
    call('lime-utils', 'get_neighbors'),
  ]);
  return { node, net, path, nb };
}

function view({ node, net, path, nb }) {
  const online = net.IPv4.working || net.IPv6.working;
  const hops = path.path || [];
  const internet = card(
    h('h2', {}, 'Internet'),
    h('div', { class: 'big-status', id: 'internet-status' },
      h('span', { class: `dot ${online ? 'ok' : 'bad'}` }),
      online ? 'Yes, this node reaches the internet' : 'No internet right now'),
    online && hops.length ? h('div', {},
      h('p', { class: 'hint' }, 'The way your traffic goes out:'),
      h('div', { class: 'path', id: 'gateway-path' },
        h('span', { class: 'hop' }, 'This node'),
        hops.map((x, i) => [h('span', { class: 'arrow' }, '→'),
          h('span', { class: 'hop' }, x.hostname, i === hops.length - 1 ? ' (gateway)' : '')]),
        h('span', { class: 'arrow' }, '→'), h('span', { class: 'hop' }, 'Internet')))
      : h('p', { class: 'hint' }, online ? 'This node is itself connected to the internet (it is a gateway).'
        : 'No node of the mesh announces an internet connection at the moment.'));

  const list = nb.neighbors || [];
  const neighbours = card(
    h('h2', {}, `Neighbours (${list.length})`),
    h('p', { class: 'hint' }, 'Nodes this node talks to directly, by radio or cable.'),
    list.length ? h('ul', { class: 'list', id: 'neighbour-list' }, list.map(n => {
      const q = quality(n.quality);
      return h('li', {},
        h('div', { class: 'row' },
          h('div', { class: 'grow' }, h('div', { class: 'name' }, nodeName(n)),
            h('div', { class: 'small muted' }, `${n.ip || n.address} · via ${n.iface}`,
              n.protocol === 'batman-adv' ? ' · same cloud (layer 2 only)' : n.cloud ? ' · same cloud' : '')),
          h('span', { class: 'badge' + (q.word === 'Good' ? '' : ' amber') }, `${q.word} link`)),
        meter(n.quality));
    }))
      : h('p', { class: 'muted', id: 'neighbour-list' }, nb.babeld ? 'No neighbours heard yet. Other nodes appear here a few seconds after they come in range.'
        : 'The routing service (babeld) is not running, so neighbours cannot be shown.'));

  const ips = [...new Map((node.ips || []).map(a => [a.address, a])).values()];
  const thisNode = card(
    h('h2', {}, 'This node'),
    h('dl', { class: 'kv' },
      h('dt', {}, 'Name'), h('dd', { id: 'node-name' }, node.hostname),
      h('dt', {}, 'Running for'), h('dd', {}, duration(parseFloat(node.uptime))),
      h('dt', {}, 'Addresses'), h('dd', {}, ips.length ? ips.slice(0, 4).map(a => h('div', {}, a.address)) : '—')));
  return [internet, neighbours, thisNode];
}

// Notes: a shared notebook of the node (who has the key to the roof, ...); anyone on
// the network may edit it, as in upstream's app.
async function notesCard() {
  const r = await call('lime-utils', 'get_notes').catch(() => ({ notes: '' }));
  const area = h('textarea', { id: 'notes-text', rows: 4, maxlength: 30000 });
  area.value = r.notes;
  const out = h('div');
  return card(h('h2', {}, 'Notes'),
    h('p', { class: 'hint' }, 'A notebook for everyone who looks after this node.'),
    area,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'save-notes', class: 'secondary', onclick: async () => {
      try {
        await call('lime-utils', 'set_notes', { text: area.value });
        out.replaceChildren(msg('ok', 'Notes saved.'));
      } catch (e) { out.replaceChildren(msg('error', e.message)); }
    } }, 'Save notes')), out);
}

export async function render(main) {
  const data = await load();
  const live = h('div');
  live.replaceChildren(...view(data));
  main.replaceChildren(h('h1', {}, 'Status'), live, await notesCard());
  const timer = setInterval(async () => {
    try {
      const d = await load();
      live.replaceChildren(...view(d));
    } catch { /* keep the last view */ }
  }, 5000);
  return () => clearInterval(timer);
}
