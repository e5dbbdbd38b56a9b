// Small DOM helpers. Text always goes in as text nodes (names come from other nodes).
import { t } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const card = (...children) => h('section', { class: 'card' }, ...children);

export function msg(kind, text) { return h('div', { class: `msg ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text); }

export function duration(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const d = Math.floor(seconds / 86400), hr = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
  if (d) return t('time.days_hours', { n: d, h: hr });
  if (hr) return t('time.hours_minutes', { h: hr, m });
  if (m) return t('time.minutes', { m });
  return t('time.seconds', { s: seconds });
}

// Link quality in plain words: 0..100 → good / fair / weak (level: the catalogue's
// quality.<level>.* keys and the CSS classes q-<level>).
export function quality(q) {
  if (q >= 75) return { level: 'good', cls: 'q-good' };
  if (q >= 40) return { level: 'fair', cls: 'q-fair' };
  return { level: 'weak', cls: 'q-weak' };
}

export function meter(q) {
  const { cls } = quality(q);
  return h('div', { class: 'meter', role: 'meter', 'aria-valuenow': q, 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('span', { class: cls, style: `width:${Math.max(4, q)}%` }));
}

export function nodeName(n) { return n.hostname || n.ip || n.address || t('node.unknown'); }

export function spinner(text) { return h('p', { class: 'muted' }, h('span', { class: 'spinner' }), ' ', text); }
