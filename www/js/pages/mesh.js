// My mesh: the whole mesh in one picture — every node once, every link once with its
// quality, each cloud a shaded region named by its Wi-Fi name, gateways, this node and the
// way to the internet — and the words that explain it. Data: lime-utils get_mesh.
//
// The layout is computed, not simulated, so the same mesh always gives the same picture:
// clouds are stacked (this node's first, then by distance), and inside a cloud nodes sit
// in rows by their distance in hops from this node, on a grid of columns; a node takes
// the column nearest the mean of its neighbours' above it, which keeps most links short
// and uncrossed, but not one right under a node it has no link with. A row wider than the
// screen wraps; a row whose names do not fit staggers them. Gone nodes come last in their
// cloud. A link that would run over another node bends around it. Colours: app.css.
import { call } from '../api.js';
import { h, card, nodeName, quality } from '../ui.js';
import { t, tn } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const PAD = 10, CELL = 60, ROW = 64, HEAD = 30, GAP = 14, R = 10, R_SELF = 14, CHAR = 7;
const fits = (text, px) => {
  const max = Math.max(4, Math.floor(px / CHAR));
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
};
export const alive = n => n.self || n.online;
// the row of a node: its hops; online at an unknown distance after those; gone last
const rowOf = n => (n.self ? 0 : !n.online ? Infinity : n.hops >= 0 ? n.hops : 1e5);
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // not localeCompare: the same order in every language

// Positions for a get_mesh answer on a picture `width` px wide:
// { width, height, pos: Map(name → {x, y, label: {x, y, text}}), regions: [{ssid, mine, y, height, nodes, online}] }
export function layout(mesh, width) {
  // an odd number of columns, so a lone node (this one, at the top) can sit in the middle
  const cols = Math.max(3, Math.floor((width - 2 * PAD) / CELL)) - 1 | 1;
  const cw = (width - 2 * PAD) / cols;
  const self = mesh.nodes.find(n => n.self);
  const adj = new Map(mesh.nodes.map(n => [n.hostname, []]));
  for (const l of mesh.links) {
    if (adj.has(l.a) && adj.has(l.b)) { adj.get(l.a).push(l.b); adj.get(l.b).push(l.a); }
  }
  const clouds = new Map();
  for (const n of mesh.nodes) {
    if (!clouds.has(n.ssid)) clouds.set(n.ssid, []);
    clouds.get(n.ssid).push(n);
  }
  const near = list => Math.min(...list.map(rowOf));
  const order = [...clouds.entries()].sort(([a, la], [b, lb]) =>
    (lb.includes(self) - la.includes(self)) || (!a - !b) || (near(la) === near(lb) ? 0 : near(la) - near(lb)) || cmp(a, b));
  const pos = new Map(), regions = [];
  const col = new Map();    // name -> column
  const above_ = new Map(); // column -> name, in the row drawn last
  let y = PAD;
  for (const [ssid, list] of order) {
    const top = y;
    y += HEAD;
    const layers = new Map();
    for (const n of list) {
      const k = rowOf(n);
      if (!layers.has(k)) layers.set(k, []);
      layers.get(k).push(n);
    }
    for (const k of [...layers.keys()].sort((a, b) => a - b)) {
      // a row is ordered by the mean column of its neighbours placed already
      // (barycentre); a node with none placed yet wants the middle
      const want = n => {
        const cs = adj.get(n.hostname).filter(m => col.has(m)).map(m => col.get(m));
        return cs.length ? cs.reduce((a, b) => a + b, 0) / cs.length : (cols - 1) / 2;
      };
      const row = layers.get(k).map(n => [want(n), n]).sort(([wa, a], [wb, b]) =>
        (wa - wb) || cmp(a.hostname, b.hostname));
      for (let i = 0; i < row.length; i += cols) {
        const chunk = row.slice(i, i + cols);
        // columns as near as each node wants, in order, all different
        const cs = [];
        chunk.forEach(([w], j) => {
          cs.push(Math.min(Math.max(Math.round(w), j ? cs[j - 1] + 1 : 0), cols - chunk.length + j));
        });
        // a node right under one it has no link with moves aside when it can, so a
        // column of nodes never seems to be a chain of links
        chunk.forEach(([w, n], j) => {
          const above = above_.get(cs[j]);
          if (!above || adj.get(n.hostname).includes(above)) return;
          for (const c of [cs[j] - 1, cs[j] + 1].sort((a, b) => Math.abs(a - w) - Math.abs(b - w))) {
            const free = c >= 0 && c < cols && (j === 0 || cs[j - 1] < c) && (j === chunk.length - 1 || cs[j + 1] > c);
            const ok = !above_.get(c) || adj.get(n.hostname).includes(above_.get(c));
            if (free && ok) { cs[j] = c; break; }
          }
        });
        const cy = y + 18;
        const xs = cs.map(c => PAD + (c + 0.5) * cw);
        // room for a name: up to the next node of the row, or the picture's edge
        const room = xs.map((x, j) => Math.min(
          j ? x - xs[j - 1] : Infinity, j < xs.length - 1 ? xs[j + 1] - x : Infinity,
          2 * (x - 4), 2 * (width - x - 4), width - 2 * PAD) - 6);
        // a row whose names do not fit alternates its labels between two lines
        const crowded = chunk.some(([, n], j) => nodeName(n).length * CHAR > room[j]);
        above_.clear();
        chunk.forEach(([, n], j) => {
          const lower = crowded && j % 2 === 1;
          const wide = crowded ? Math.min(2 * room[j] + 6, 2 * (xs[j] - 4), 2 * (width - xs[j] - 4)) - 6 : room[j];
          const ly = cy + (n.self ? R_SELF : R) + 14 + (lower ? 13 : 0);
          col.set(n.hostname, cs[j]);
          above_.set(cs[j], n.hostname);
          pos.set(n.hostname, { x: xs[j], y: cy, label: { x: xs[j], y: ly, text: fits(nodeName(n), wide) } });
        });
        y += ROW + (crowded ? 10 : 0);
      }
    }
    regions.push({ ssid, mine: list.includes(self), y: top, height: y - top, nodes: list.length,
      online: list.filter(alive).length });
    y += GAP;
  }
  return { width, height: y - GAP + PAD, pos, regions };
}

function globe(x, y) {
  return s('g', { class: 'globe-mark' },
    s('circle', { cx: x, cy: y, r: 7, class: 'globe' }),
    s('ellipse', { cx: x, cy: y, rx: 2.8, ry: 5.6, class: 'globe-line' }),
    s('line', { x1: x - 5.6, y1: y, x2: x + 5.6, y2: y, class: 'globe-line' }));
}

// Distance from point p to the segment a-b.
function dist(p, a, b) {
  const dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy || 1;
  const k = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - a.x - k * dx, p.y - a.y - k * dy);
}

// A link is a straight line, unless that would run over another node: then it bends
// around it (upwards, or to the right for an upright link), so a line never seems to
// join nodes it does not join.
function linkPath(L, l, a, b) {
  const blocked = [...L.pos].some(([name, p]) => name !== l.a && name !== l.b && dist(p, a, b) < R + 6);
  if (!blocked) return `M${a.x},${a.y} L${b.x},${b.y}`;
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  let px = -dy / len, py = dx / len;
  if (Math.abs(py) > 0.3 ? py > 0 : px < 0) { px = -px; py = -py; }
  const off = 2 * (R + 14 + 0.06 * len); // a quadratic curve strays half its control offset
  const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
  // the other way when that would leave the picture
  const out = (sign) => { const x = mx + sign * px * off / 2, y = my + sign * py * off / 2; return x < 4 || x > L.width - 4 || y < 4; };
  const sign = out(1) && !out(-1) ? -1 : 1;
  return `M${a.x},${a.y} Q${mx + sign * px * off},${my + sign * py * off} ${b.x},${b.y}`;
}

const linkClass = l => (l.quality < 0 ? 'l-unknown' : `l-${quality(l.quality).level}`);

function picture(mesh, width) {
  const L = layout(mesh, width);
  const self = mesh.nodes.find(n => n.self);
  const svg = s('svg', { id: 'mesh-svg', viewBox: `0 0 ${L.width} ${L.height}`, width: L.width, height: L.height, role: 'img',
    'aria-label': t('mesh.aria', { name: self.hostname, n: mesh.nodes.length, links: mesh.links.length }) });
  // regions under everything, their names over the links that cross them
  const areas = s('g'), under = s('g'), lines = s('g'), dots = s('g'), names = s('g');
  svg.append(areas, under, lines, dots, names);
  L.regions.forEach((r, i) => {
    areas.append(s('rect', { x: 3, y: r.y, width: L.width - 6, height: r.height, rx: 14,
      class: `cloud-area ${r.mine ? 'mine' : `other o${i % 3}`}`, 'data-ssid': r.ssid }));
    names.append(s('text', { x: 14, y: r.y + 19, class: 'cloud-name' },
      r.ssid ? t('mesh.cloud_label', { ssid: fits(r.ssid, L.width - 130) }) : t('mesh.cloud_unknown')),
    s('text', { x: L.width - 14, y: r.y + 19, class: 'cloud-count', 'text-anchor': 'end' },
      t('mesh.cloud_count', { n: r.nodes })));
  });
  // the way to the internet: this node, the hops, the gateway
  const way = [self.hostname, ...(mesh.path || [])];
  const onPath = new Set(way.slice(1).map((b, i) => [way[i], b].sort().join('\n')));
  for (const l of mesh.links) {
    const a = L.pos.get(l.a), b = L.pos.get(l.b);
    if (!a || !b) continue;
    const d = linkPath(L, l, a, b);
    const path = onPath.has([l.a, l.b].sort().join('\n'));
    if (path) under.append(s('path', { d, class: 'link-way' }));
    lines.append(s('path', { d, class: `link ${linkClass(l)}${l.batman ? '' : ' routed'}`,
      'data-a': l.a, 'data-b': l.b, 'data-quality': l.quality }));
  }
  for (const n of mesh.nodes) {
    const p = L.pos.get(n.hostname);
    const state = n.self ? 'self' : alive(n) ? 'online' : 'gone';
    const r = n.self ? R_SELF : R;
    const g = s('g', { class: `mesh-node ${state}`, 'data-name': n.hostname, 'data-state': state,
      'data-gateway': n.gateway ? '1' : '0' });
    if (n.self) g.append(s('circle', { cx: p.x, cy: p.y, r: r + 5, class: 'self-ring' }));
    g.append(s('circle', { cx: p.x, cy: p.y, r, class: `node n-${state === 'online' ? 'on' : state}` }));
    if (n.gateway) g.append(globe(p.x + r * 0.8, p.y - r * 0.8));
    g.append(s('text', { x: p.label.x, y: p.label.y, 'text-anchor': 'middle', class: `label ${state}` }, p.label.text));
    // tap a node: its own page (its limed serves this UI); a big invisible target
    g.append(s('circle', { cx: p.x, cy: p.y, r: 22, class: 'hit' }));
    const what = t(`mesh.node_${state}`, { name: n.hostname });
    dots.append(state === 'online' && n.ip
      ? s('a', { href: `http://${n.ip}/`, 'aria-label': what, class: 'node-link' }, g)
      : s('g', { 'aria-label': what }, g));
  }
  return svg;
}

function legendItem(svgChild, text) {
  return [s('svg', { viewBox: '0 0 34 18' }, svgChild), h('span', {}, text)];
}

function legend() {
  return h('div', { class: 'legend' },
    ...legendItem(s('g', {}, s('circle', { cx: 17, cy: 9, r: 8, class: 'self-ring' }), s('circle', { cx: 17, cy: 9, r: 5, class: 'node n-self' })), t('mesh.legend.self')),
    ...legendItem(s('line', { x1: 2, y1: 9, x2: 32, y2: 9, class: 'link l-good' }), t('mesh.legend.link')),
    ...legendItem(s('g', {}, s('line', { x1: 2, y1: 9, x2: 32, y2: 9, class: 'link-way' }), s('line', { x1: 2, y1: 9, x2: 32, y2: 9, class: 'link l-good' })), t('mesh.legend.way')),
    ...legendItem(globe(17, 9), t('mesh.legend.gateway')),
    ...legendItem(s('circle', { cx: 17, cy: 9, r: 6, class: 'node n-gone' }), t('mesh.legend.gone')),
    ...legendItem(s('rect', { x: 2, y: 2, width: 30, height: 14, rx: 5, class: 'cloud-area mine' }), t('mesh.legend.cloud')));
}

function words(mesh) {
  const self = mesh.nodes.find(n => n.self);
  const online = mesh.nodes.filter(alive).length, gone = mesh.nodes.length - online;
  const clouds = new Set(mesh.nodes.map(n => n.ssid)).size;
  const direct = mesh.links.filter(l => l.a === self.hostname || l.b === self.hostname).length;
  const gw = mesh.nodes.find(n => n.in_use) || mesh.nodes.find(n => n.gateway && alive(n) && !n.self);
  const way = (mesh.path || []).length ? [t('mesh.way_this_node'), ...mesh.path, t('mesh.way_internet')].join(' → ') : '';
  return card(h('h2', {}, t('mesh.what')),
    h('p', { id: 'mesh-explain' }, ...tn('mesh.summary', { name: h('strong', {}, self.hostname),
      nodes: t('mesh.n_nodes', { n: mesh.nodes.length }), clouds: t('mesh.n_clouds', { n: clouds }),
      neighbours: t('mesh.n_neighbours', { n: direct }) }),
    ' ', gone ? t('mesh.online_gone', { online, gone }) : t('mesh.all_online')),
    h('p', {}, h('strong', {}, t('mesh.clouds_title')), ' ', t('mesh.clouds_text', { ssid: self.ssid })),
    h('p', {}, h('strong', {}, t('mesh.links_title')), ' ', t('mesh.links_text')),
    h('p', { id: 'mesh-internet' }, h('strong', {}, t('mesh.gateways_title')), ' ',
      ...(self.gateway ? [t('mesh.gateway_self')]
        : gw ? [...tn('mesh.gateway_used', { name: h('strong', {}, gw.hostname) }), way ? ' ' : '', way ? t('mesh.way', { way }) : '']
          : [t('mesh.gateway_none')])),
    h('p', {}, h('strong', {}, t('mesh.gone_title')), ' ', t('mesh.gone_text')),
    h('p', { class: 'hint' }, t('mesh.tap_hint')));
}

export async function render(main) {
  const box = h('div', { class: 'mesh' });
  const below = h('div');
  let last = '';
  const draw = (mesh) => {
    const text = JSON.stringify([mesh.nodes, mesh.links, mesh.path]);
    if (text === last) return;
    last = text;
    box.replaceChildren(picture(mesh, Math.max(300, Math.min(680, box.clientWidth || main.clientWidth - 28))));
    below.replaceChildren(words(mesh));
  };
  const mesh = await call('lime-utils', 'get_mesh');
  main.replaceChildren(h('h1', {}, t('mesh.title')), card(box, legend()), below);
  draw(mesh);
  const timer = setInterval(async () => {
    try { draw(await call('lime-utils', 'get_mesh')); } catch { /* keep the last picture */ }
  }, 10000);
  return () => clearInterval(timer);
}
