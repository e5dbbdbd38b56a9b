// Nodes: every node of the mesh this node has seen, online or gone.
import { call } from '../api.js';
import { h, card, duration, nodeName } from '../ui.js';
import { t } from '../i18n.js';

export async function render(main) {
  const r = await call('lime-utils', 'get_nodes');
  const all = [...r.nodes].sort((a, b) => (b.online - a.online) || nodeName(a).localeCompare(nodeName(b)));
  const online = all.filter(n => n.online).length;
  main.replaceChildren(
    h('h1', {}, t('nodes.title')),
    card(
      h('p', { id: 'nodes-summary' }, h('strong', {}, t('nodes.online', { n: online })),
        all.length - online ? t('nodes.gone_count', { n: all.length - online }) : '',
        t('nodes.plus_this', { name: r.this_node })),
      h('p', { class: 'hint' }, t('nodes.hint')),
      h('p', { class: 'hint' }, t('nodes.tap_hint')),
      all.length ? h('ul', { class: 'list', id: 'node-list' }, all.map(n => h('li', { class: 'row' },
        h('span', { class: `dot ${n.online ? 'ok' : 'gone'}` }),
        h('div', { class: 'grow' },
          // an online node's own page is one tap away (its limed serves the same UI)
          n.online ? h('a', { class: 'name', href: `http://${n.ip}/` }, nodeName(n)) : h('div', { class: 'name' }, nodeName(n)),
          h('div', { class: 'small muted' }, n.online ? n.ip : t('nodes.gone_for', { address: n.ip, time: duration(n.last_seen) }))),
        n.gateway ? h('span', { class: 'badge' }, t('nodes.gateway')) : null,
        h('span', { class: `badge ${n.online ? '' : 'grey'}` }, n.online ? t('nodes.state_online') : t('nodes.state_gone')))))
        : h('p', { class: 'muted', id: 'node-list' }, t('nodes.none'))));
}
