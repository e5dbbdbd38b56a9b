// Internet: the gateway in use, every gateway of the mesh once (its best route: cost and
// hops), and the preferred one.
import { call, adminCall, isAdmin } from '../api.js';
import { h, card, msg, nodeName } from '../ui.js';
import { t, tn } from '../i18n.js';

export async function render(main, app) {
  const g = await call('lime-utils', 'get_gateways'); // one entry per gateway node
  const list = g.gateways.filter(x => x.family === '4');
  const used = list.find(x => x.in_use);
  const out = h('div');
  const current = g.preferred_pending || '';

  const options = [{ value: '', label: t('gw.automatic') },
    ...list.map(x => ({ value: x.hostname || x.ip, label: x.in_use ? t('gw.option_in_use', { name: nodeName(x) }) : nodeName(x) }))];
  if (current && !options.some(o => o.value === current)) options.push({ value: current, label: t('gw.option_not_seen', { name: current }) });

  const form = h('form', { id: 'gateway-choice', onsubmit: async (ev) => {
    ev.preventDefault();
    const value = new FormData(form).get('gw') || '';
    if (!isAdmin()) { out.replaceChildren(msg('info', t('gw.need_admin'))); return; }
    try {
      await adminCall('lime-utils-admin', 'set_preferred_gateway', { gateway: value });
      out.replaceChildren(msg('ok', t('gw.saved')));
      app.refreshPending();
    } catch (e) { out.replaceChildren(msg('error', e.message)); }
  } },
  options.map(o => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'gw', value: o.value, checked: o.value === current }),
    h('span', {}, o.label))),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save-gateway' }, t('gw.save'))), out);

  const where = x => [x.ip, x.hops > 0 ? t('gw.hops', { n: x.hops }) : null, t('gw.cost', { cost: x.metric })].filter(Boolean).join(' · ');
  main.replaceChildren(
    h('h1', {}, t('gw.title')),
    card(h('h2', {}, t('gw.in_use')),
      h('p', { id: 'gateway-in-use' }, g.this_node_is_gateway ? t('gw.self')
        : used ? tn('gw.leaves_at', { name: h('strong', {}, nodeName(used)) })
          : t('gw.none_reachable')),
      h('p', { class: 'hint' }, t('gw.what'))),
    card(h('h2', {}, t('gw.list_title', { n: list.length })),
      list.length ? h('ul', { class: 'list', id: 'gateway-list' }, list.map(x => h('li', { class: 'row', 'data-name': nodeName(x), 'data-hops': x.hops },
        h('div', { class: 'grow' }, h('div', { class: 'name' }, nodeName(x)), h('div', { class: 'small muted' }, where(x))),
        x.in_use ? h('span', { class: 'badge' }, t('gw.badge_in_use')) : h('span', { class: 'badge grey' }, t('gw.badge_available')))))
        : h('p', { class: 'muted', id: 'gateway-list' }, t('gw.none')),
      list.length ? h('p', { class: 'hint' }, t('gw.cost_hint')) : null),
    card(h('h2', {}, t('gw.preferred')),
      h('p', { class: 'hint' }, t('gw.preferred_hint')),
      form));
}
