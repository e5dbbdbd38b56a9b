// My mesh: a picture of the network around this node, with the words that explain it.
import { call } from '../api.js';
import { h, card, nodeName, quality } from '../ui.js';
import { t, tn } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const short = (t) => (t.length > 14 ? t.slice(0, 13) + '…' : t);

function drawNode(g, x, y, label, kind, gateway) {
  // colours: app.css (.mesh .n-<kind>, .globe, .label)
  g.append(s('circle', { cx: x, cy: y, r: kind === 'self' ? 20 : 14, class: `node n-${kind}` }));
  if (gateway) {
    // a small globe: the node shares an internet connection
    const gx = x + 13, gy = y - 13;
    g.append(s('circle', { cx: gx, cy: gy, r: 9, class: 'globe' }));
    g.append(s('ellipse', { cx: gx, cy: gy, rx: 3.5, ry: 7, class: 'globe-line' }));
    g.append(s('line', { x1: gx - 7, y1: gy, x2: gx + 7, y2: gy, class: 'globe-line' }));
  }
  g.append(s('text', { x, y: y + (kind === 'self' ? 36 : 30), 'text-anchor': 'middle',
    class: `label${kind === 'self' ? ' self' : ''}${kind === 'gone' ? ' gone' : ''}` }, short(label)));
}

function picture(self, cloud, neighbours, nodes) {
  const W = 400, H = 400, cx = W / 2, cy = H / 2;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'mesh-svg',
    'aria-label': t('mesh.aria', { name: self, n: neighbours.length, others: nodes.length }) });
  const lines = s('g'), dots = s('g');
  // The cloud: this node and the neighbours in the same layer-2 cloud, as one shaded
  // region (thick round strokes: a border colour first, the fill on top).
  const border = s('g', { class: 'cloud-border' });
  const fill = s('g', { class: 'cloud-fill' });
  border.append(s('circle', { cx, cy, r: 58 }));
  fill.append(s('circle', { cx, cy, r: 56 }));
  svg.append(border, fill, lines, dots);
  // the cloud's name inside its bubble, under this node's name
  const cloudLabel = s('text', { x: cx, y: cy + 52, 'text-anchor': 'middle', class: 'cloud-label' }, t('mesh.cloud_label', { ssid: short(cloud) }));
  // Neighbours on an inner ring, the rest of the mesh on an outer one.
  const pos = new Map();
  neighbours.forEach((n, i) => {
    // start at the upper right so links do not cross the labels above/below this node
    const a = -Math.PI / 4 + (2 * Math.PI * i) / Math.max(1, neighbours.length);
    const p = { x: cx + 118 * Math.cos(a), y: cy + 118 * Math.sin(a) };
    pos.set(n.address, p);
    if (n.cloud) {
      border.append(s('line', { x1: cx, y1: cy, x2: p.x, y2: p.y, 'stroke-width': 100 }));
      fill.append(s('line', { x1: cx, y1: cy, x2: p.x, y2: p.y, 'stroke-width': 96 }));
    }
    const q = quality(n.quality);
    lines.append(s('line', { x1: cx, y1: cy, x2: p.x, y2: p.y, class: `link l-${q.level}` }));
  });
  const neighbourIps = new Set(neighbours.map(n => n.ip).filter(Boolean));
  const far = nodes.filter(n => !neighbourIps.has(n.ip));
  far.forEach((n, i) => {
    const a = -Math.PI / 2 + Math.PI / Math.max(2, far.length) + (2 * Math.PI * i) / Math.max(1, far.length);
    const p = { x: cx + 168 * Math.cos(a), y: cy + 168 * Math.sin(a) };
    const via = n.online && pos.get(n.via);
    if (via) lines.append(s('line', { x1: via.x, y1: via.y, x2: p.x, y2: p.y, class: 'link-via' }));
    drawNode(dots, p.x, p.y, nodeName(n), n.online ? 'far' : 'gone', n.gateway);
  });
  neighbours.forEach(n => {
    const p = pos.get(n.address);
    const info = nodes.find(x => x.ip === n.ip);
    drawNode(dots, p.x, p.y, nodeName(n), 'neighbour', info && info.gateway);
  });
  drawNode(dots, cx, cy, self, 'self', false);
  dots.append(cloudLabel);
  return svg;
}

function legendItem(svgChild, text) {
  return [s('svg', { viewBox: '0 0 34 18' }, svgChild), h('span', {}, text)];
}

export async function render(main) {
  const [board, nbAll, nodes, gws, ap] = await Promise.all([call('system', 'board'), call('lime-utils', 'get_neighbors'),
    call('lime-utils', 'get_nodes'), call('lime-utils', 'get_gateways'), call('wireless-service', 'get_access_points_data')]);
  // the picture shows nodes (babel); batman-adv links are the same neighbours seen at layer 2
  const nb = { neighbors: nbAll.neighbors.filter(n => n.protocol === 'babel') };
  const inCloud = nb.neighbors.filter(n => n.cloud).length;
  const used = gws.gateways.find(g => g.in_use && g.family === '4');
  const cloud = ap.community_ap.ssid;
  const online = nodes.nodes.filter(n => n.online).length;
  main.replaceChildren(
    h('h1', {}, t('mesh.title')),
    card(h('div', { class: 'mesh' }, picture(board.hostname, cloud, nb.neighbors, nodes.nodes)),
      h('div', { class: 'legend' },
        ...legendItem(s('circle', { cx: 17, cy: 9, r: 7, class: 'n-self' }), t('mesh.legend.self')),
        ...legendItem(s('line', { x1: 2, y1: 9, x2: 32, y2: 9, class: 'link l-good' }), t('mesh.legend.link')),
        ...legendItem(s('line', { x1: 2, y1: 9, x2: 32, y2: 9, class: 'link-via' }), t('mesh.legend.via')),
        ...legendItem(s('circle', { cx: 17, cy: 9, r: 7, class: 'globe' }), t('mesh.legend.gateway')),
        ...legendItem(s('circle', { cx: 17, cy: 9, r: 7, class: 'n-gone' }), t('mesh.legend.gone')))),
    card(h('h2', {}, t('mesh.what')),
      h('p', { id: 'mesh-explain' }, ...tn('mesh.summary', { name: h('strong', {}, board.hostname),
        neighbours: t('mesh.n_neighbours', { n: nb.neighbors.length }), nodes: t('mesh.n_nodes', { n: online }) })),
      h('p', {}, h('strong', {}, t('mesh.links_title')), ' ', t('mesh.links_text')),
      h('p', {}, h('strong', {}, t('mesh.clouds_title')), ' ', t('mesh.clouds_text', { ssid: cloud }), ' ',
        inCloud ? (inCloud === nb.neighbors.length ? t('mesh.cloud_all') : t('mesh.cloud_some', { n: inCloud }))
          : t('mesh.cloud_none')),
      h('p', {}, h('strong', {}, t('mesh.gateways_title')), ' ', ...(used ? tn('mesh.gateway_used', { name: h('strong', {}, nodeName(used)) })
        : [gws.this_node_is_gateway ? t('mesh.gateway_self') : t('mesh.gateway_none')]))));
}
