// Status: this node, internet yes/no and the way to it, neighbours and link quality.
import { call } from '../api.js';
import { h, card, duration, meter, quality, nodeName, msg } from '../ui.js';
import { t } from '../i18n.js';

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
    h('h2', {}, t('status.internet')),
    h('div', { class: 'big-status', id: 'internet-status' },
      h('span', { class: `dot ${online ? 'ok' : 'bad'}` }),
      online ? t('status.internet_yes') : t('status.internet_no')),
    online && hops.length ? h('div', {},
      h('p', { class: 'hint' }, t('status.way_out')),
      h('div', { class: 'path', id: 'gateway-path' },
        h('span', { class: 'hop' }, t('status.this_node_hop')),
        hops.map((x, i) => [h('span', { class: 'arrow' }, '→'),
          h('span', { class: 'hop' }, i === hops.length - 1 ? t('status.hop_gateway', { name: x.hostname }) : x.hostname)]),
        h('span', { class: 'arrow' }, '→'), h('span', { class: 'hop' }, t('status.internet_hop'))))
      : h('p', { class: 'hint' }, online ? t('status.self_gateway') : t('status.no_gateway')));

  const list = nb.neighbors || [];
  const neighbours = card(
    h('h2', {}, t('status.neighbours', { n: list.length })),
    h('p', { class: 'hint' }, t('status.neighbours_hint')),
    list.length ? h('ul', { class: 'list', id: 'neighbour-list' }, list.map(n => {
      const q = quality(n.quality);
      return h('li', {},
        h('div', { class: 'row' },
          h('div', { class: 'grow' }, h('div', { class: 'name' }, nodeName(n)),
            h('div', { class: 'small muted' }, t(n.protocol === 'batman-adv' ? 'status.neighbour_l2'
              : n.cloud ? 'status.neighbour_cloud' : 'status.neighbour', { address: n.ip || n.address, iface: n.iface })),
            // over a radio: the signal the peer is heard with and the channel (Wi-Fi mesh)
            n.signal !== undefined ? h('div', { class: 'small muted wifi-signal' },
              t('status.wifi_signal', { signal: n.signal, channel: n.channel })) : null),
          h('span', { class: 'badge' + (q.level === 'good' ? '' : ' amber') }, t(`quality.${q.level}.link`))),
        meter(n.quality));
    }))
      : h('p', { class: 'muted', id: 'neighbour-list' }, nb.babeld ? t('status.no_neighbours') : t('status.no_babeld')));

  const ips = [...new Map((node.ips || []).map(a => [a.address, a])).values()];
  const thisNode = card(
    h('h2', {}, t('status.this_node')),
    h('dl', { class: 'kv' },
      h('dt', {}, t('status.name')), h('dd', { id: 'node-name' }, node.hostname),
      h('dt', {}, t('status.running_for')), h('dd', { id: 'node-uptime', 'data-seconds': Math.floor(parseFloat(node.uptime)) }, duration(parseFloat(node.uptime))),
      h('dt', {}, t('status.addresses')), h('dd', {}, ips.length ? ips.slice(0, 4).map(a => h('div', {}, a.address)) : '—')));
  return [internet, neighbours, thisNode];
}

// Notes: a shared notebook of the node (who has the key to the roof, ...); anyone on
// the network may edit it, as in upstream's app.
async function notesCard() {
  const r = await call('lime-utils', 'get_notes').catch(() => ({ notes: '' }));
  const area = h('textarea', { id: 'notes-text', rows: 4, maxlength: 30000 });
  area.value = r.notes;
  const out = h('div');
  return card(h('h2', {}, t('notes.title')),
    h('p', { class: 'hint' }, t('notes.hint')),
    area,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'save-notes', class: 'secondary', onclick: async () => {
      try {
        await call('lime-utils', 'set_notes', { text: area.value });
        out.replaceChildren(msg('ok', t('notes.saved')));
      } catch (e) { out.replaceChildren(msg('error', e.message)); }
    } }, t('notes.save'))), out);
}

export async function render(main) {
  const data = await load();
  const live = h('div');
  live.replaceChildren(...view(data));
  main.replaceChildren(h('h1', {}, t('status.title')), live, await notesCard());
  const timer = setInterval(async () => {
    try {
      const d = await load();
      live.replaceChildren(...view(d));
    } catch { /* keep the last view */ }
  }, 5000);
  return () => clearInterval(timer);
}
