// Nodes: every node of the mesh this node has seen, online or gone.
import { call } from '../api.js';
import { h, card, duration, nodeName } from '../ui.js';

export async function render(main) {
  const r = await call('lime-utils', 'get_nodes');
  const all = [...r.nodes].sort((a, b) => (b.online - a.online) || nodeName(a).localeCompare(nodeName(b)));
  const online = all.filter(n => n.online).length;
  main.replaceChildren(
    h('h1', {}, 'Nodes'),
    card(
      h('p', { id: 'nodes-summary' }, h('strong', {}, `${online} online`), all.length - online ? `, ${all.length - online} gone` : '',
        ` — plus this node, ${r.this_node}.`),
      h('p', { class: 'hint' }, 'Every node of the mesh this node has heard of. A node is “gone” when it stopped answering: it may be switched off or out of range.'),
      h('p', { class: 'hint' }, 'Tap an online node to open its own page.'),
      all.length ? h('ul', { class: 'list', id: 'node-list' }, all.map(n => h('li', { class: 'row' },
        h('span', { class: `dot ${n.online ? 'ok' : 'gone'}` }),
        h('div', { class: 'grow' },
          // an online node's own page is one tap away (its limed serves the same UI)
          n.online ? h('a', { class: 'name', href: `http://${n.ip}/` }, nodeName(n)) : h('div', { class: 'name' }, nodeName(n)),
          h('div', { class: 'small muted' }, n.ip, n.online ? '' : ` · gone for ${duration(n.last_seen)}`)),
        n.gateway ? h('span', { class: 'badge' }, 'gateway') : null,
        h('span', { class: `badge ${n.online ? '' : 'grey'}` }, n.online ? 'online' : 'gone'))))
        : h('p', { class: 'muted', id: 'node-list' }, 'No other node known yet.')));
}
