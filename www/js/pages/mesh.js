// My mesh: a picture of the network around this node, with the words that explain it.
import { call } from '../api.js';
import { h, card, nodeName, quality } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const COLORS = { Good: '#43a047', Fair: '#f9a825', Weak: '#e53935' };
const short = (t) => (t.length > 14 ? t.slice(0, 13) + '…' : t);

function drawNode(g, x, y, label, kind, gateway) {
  const fill = { self: '#2e7d32', neighbour: '#66bb6a', far: '#a5d6a7', gone: '#cfd8dc' }[kind];
  g.append(s('circle', { cx: x, cy: y, r: kind === 'self' ? 20 : 14, fill, stroke: '#fff', 'stroke-width': 3 }));
  if (gateway) {
    // a small globe: the node shares an internet connection
    const gx = x + 13, gy = y - 13;
    g.append(s('circle', { cx: gx, cy: gy, r: 9, fill: '#1565c0', stroke: '#fff', 'stroke-width': 2 }));
    g.append(s('ellipse', { cx: gx, cy: gy, rx: 3.5, ry: 7, fill: 'none', stroke: '#fff', 'stroke-width': 1.2 }));
    g.append(s('line', { x1: gx - 7, y1: gy, x2: gx + 7, y2: gy, stroke: '#fff', 'stroke-width': 1.2 }));
  }
  g.append(s('text', { x, y: y + (kind === 'self' ? 36 : 30), 'text-anchor': 'middle', 'font-size': 13,
    'font-weight': kind === 'self' ? 700 : 500, fill: kind === 'gone' ? '#78909c' : '#1d2327' }, short(label)));
}

function picture(self, cloud, neighbours, nodes) {
  const W = 400, H = 400, cx = W / 2, cy = H / 2;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'mesh-svg',
    'aria-label': `Map of the mesh around ${self}: ${neighbours.length} neighbours, ${nodes.length} other nodes` });
  const lines = s('g'), dots = s('g');
  // The cloud: this node and the neighbours in the same layer-2 cloud, as one shaded
  // region (thick round strokes: a border colour first, the fill on top).
  const border = s('g', { stroke: '#a5d6a7', 'stroke-linecap': 'round', fill: '#a5d6a7' });
  const fill = s('g', { stroke: '#e8f5e9', 'stroke-linecap': 'round', fill: '#e8f5e9' });
  border.append(s('circle', { cx, cy, r: 58 }));
  fill.append(s('circle', { cx, cy, r: 56 }));
  svg.append(border, fill, lines, dots);
  // the cloud's name inside its bubble, under this node's name
  const cloudLabel = s('text', { x: cx, y: cy + 52, 'text-anchor': 'middle', 'font-size': 11, fill: '#2e7d32' }, `cloud “${short(cloud)}”`);
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
    lines.append(s('line', { x1: cx, y1: cy, x2: p.x, y2: p.y, stroke: COLORS[q.word], 'stroke-width': 5, 'stroke-linecap': 'round' }));
  });
  const neighbourIps = new Set(neighbours.map(n => n.ip).filter(Boolean));
  const far = nodes.filter(n => !neighbourIps.has(n.ip));
  far.forEach((n, i) => {
    const a = -Math.PI / 2 + Math.PI / Math.max(2, far.length) + (2 * Math.PI * i) / Math.max(1, far.length);
    const p = { x: cx + 168 * Math.cos(a), y: cy + 168 * Math.sin(a) };
    const via = n.online && pos.get(n.via);
    if (via) lines.append(s('line', { x1: via.x, y1: via.y, x2: p.x, y2: p.y, stroke: '#90a4ae', 'stroke-width': 2.5, 'stroke-dasharray': '5 4' }));
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
    h('h1', {}, 'My mesh'),
    card(h('div', { class: 'mesh' }, picture(board.hostname, cloud, nb.neighbors, nodes.nodes)),
      h('div', { class: 'legend' },
        ...legendItem(s('circle', { cx: 17, cy: 9, r: 7, fill: '#2e7d32' }), 'This node'),
        ...legendItem(s('line', { x1: 2, y1: 9, x2: 32, y2: 9, stroke: '#43a047', 'stroke-width': 5 }), 'A direct link — green is good, yellow fair, red weak'),
        ...legendItem(s('line', { x1: 2, y1: 9, x2: 32, y2: 9, stroke: '#90a4ae', 'stroke-width': 2.5, 'stroke-dasharray': '5 4' }), 'Reached through that neighbour'),
        ...legendItem(s('circle', { cx: 17, cy: 9, r: 7, fill: '#1565c0' }), 'Gateway: shares its internet connection'),
        ...legendItem(s('circle', { cx: 17, cy: 9, r: 7, fill: '#cfd8dc' }), 'A node that is gone (off or out of range)'))),
    card(h('h2', {}, 'What you see'),
      h('p', { id: 'mesh-explain' }, `Your node `, h('strong', {}, board.hostname), ` talks directly to ${nb.neighbors.length} neighbour${nb.neighbors.length === 1 ? '' : 's'}, and through them reaches ${online} node${online === 1 ? '' : 's'} of the mesh in all.`),
      h('p', {}, h('strong', {}, 'Links. '), 'Nodes pass your data along from one to the next, by radio or cable, until it arrives. If one link fails, the mesh finds another way by itself.'),
      h('p', {}, h('strong', {}, 'Clouds. '), `Nodes that share the same Wi-Fi name — here “${cloud}” — form a cloud: your phone can walk from one to another and keep its connection and address. `,
        inCloud ? `The shaded area is your cloud: ${inCloud === nb.neighbors.length ? 'all' : inCloud} of your neighbours ${inCloud === 1 ? 'is' : 'are'} in it.`
          : 'None of your neighbours is in your cloud: they belong to other clouds, reached through the mesh.'),
      h('p', {}, h('strong', {}, 'Gateways. '), used ? ['Some nodes share an internet connection with everyone. Yours goes out through ', h('strong', {}, nodeName(used)), '.']
        : gws.this_node_is_gateway ? 'This node shares its own internet connection with everyone.'
          : 'Nodes that share an internet connection are called gateways. None is reachable right now.')));
}
