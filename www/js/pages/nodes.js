// Nodes: every node of the mesh, this one included, online or gone (lime-utils get_mesh:
// the same picture as My mesh). Each node's own uptime, its cloud and how far it is.
import { call } from '../api.js';
import { h, card, duration, nodeName } from '../ui.js';
import { t } from '../i18n.js';
import { alive } from './mesh.js';

// names in natural order (a2 before a10), the same in every language
const cmp = new Intl.Collator('en', { numeric: true }).compare;

function row(n) {
  const on = alive(n);
  const state = n.self ? 'self' : on ? 'online' : 'gone';
  const detail = [n.ip, n.ssid ? t('nodes.cloud', { ssid: n.ssid }) : null,
    n.self ? null : on ? (n.hops > 0 ? t('nodes.hops', { n: n.hops }) : null) : t('nodes.gone_for', { time: duration(n.last_seen) }),
    on && n.uptime >= 0 ? t('nodes.up_for', { time: duration(n.uptime) }) : null].filter(Boolean).join(' · ');
  return h('li', { class: 'row', 'data-name': n.hostname, 'data-state': state, 'data-uptime': on ? n.uptime : '' },
    h('span', { class: `dot ${on ? 'ok' : 'gone'}` }),
    h('div', { class: 'grow' },
      // an online node's own page is one tap away (its limed serves the same UI)
      state === 'online' && n.ip ? h('a', { class: 'name', href: `http://${n.ip}/` }, nodeName(n))
        : h('div', { class: 'name' }, nodeName(n)),
      h('div', { class: 'small muted' }, detail)),
    n.gateway ? h('span', { class: 'badge' }, t('nodes.gateway')) : null,
    h('span', { class: `badge ${on ? '' : 'grey'}` }, t(`nodes.state_${state}`)));
}

function view(m) {
  const all = [...m.nodes].sort((a, b) => (b.self - a.self) || (alive(b) - alive(a)) || cmp(nodeName(a), nodeName(b)));
  const online = all.filter(alive).length, gone = all.length - online;
  return card(
    h('p', { id: 'nodes-summary', 'data-total': all.length, 'data-online': online, 'data-gone': gone },
      h('strong', {}, t('nodes.total', { n: all.length })), ' ',
      gone ? t('nodes.online_gone', { online, gone }) : t('nodes.all_online', { n: online })),
    h('p', { class: 'hint' }, t('nodes.hint')),
    h('p', { class: 'hint' }, t('nodes.tap_hint')),
    h('ul', { class: 'list', id: 'node-list' }, all.map(row)));
}

// The list stays live: read again every 5 s (a node going or coming back shows up).
export async function render(main) {
  const live = h('div');
  live.replaceChildren(view(await call('lime-utils', 'get_mesh')));
  main.replaceChildren(h('h1', {}, t('nodes.title')), live);
  const timer = setInterval(async () => {
    try { live.replaceChildren(view(await call('lime-utils', 'get_mesh'))); } catch { /* keep the last list */ }
  }, 5000);
  return () => clearInterval(timer);
}
