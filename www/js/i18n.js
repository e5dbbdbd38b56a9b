// Translation at render time. Pages never hold English text: they ask t('key', vars)
// while they build the DOM, and the message catalogue of the chosen language gives the
// words (js/lang/<lang>.js; English is the fallback for a key a language lacks).
//
//   t('nodes.summary', { n: 5 })          -> "5 nodes" / "5 nodos"
//   tn('gw.leaves_at', { name: el })      -> ["Your traffic … at ", el, "."] (DOM children)
//
// A message is a string with {name} placeholders, or an object of plural forms chosen by
// the number vars.n: {"0": …, one: …, other: …} (Intl.PluralRules categories; "0" is an
// optional exact form for none). Values put into a message are never translated: a node
// named "gateway" stays "gateway". Missing keys show as the key itself, so a typo is seen;
// tests/unit/www_i18n.mjs checks that every key used in js/ exists in every catalogue
// with the same placeholders.
//
// Language: localStorage "lang" (the header's button), else the phone's language, else
// English.
import en from './lang/en.js';
import es from './lang/es.js';

export const catalogues = { en, es };

function pick() {
  const want = [localStorage.getItem('lang'), ...(navigator.languages || []), navigator.language];
  for (const l of want) {
    const code = (l || '').slice(0, 2).toLowerCase();
    if (catalogues[code]) return code;
  }
  return 'en';
}

export const lang = pick();
const rules = new Intl.PluralRules(lang);

function message(key, vars) {
  let m = catalogues[lang][key];
  if (m === undefined) m = en[key];
  if (m === undefined) return key;
  if (typeof m === 'object') {
    const n = Number(vars && vars.n);
    m = (n === 0 && m['0'] !== undefined) ? m['0'] : (m[rules.select(n)] ?? m.other);
  }
  return m;
}

// The message as a string; {name} is replaced by String(vars.name).
export function t(key, vars = {}) {
  return message(key, vars).replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

// The message as DOM children: placeholders whose value is a Node stay that Node (a
// <strong> name, a link), the rest is text. For h(tag, attrs, ...tn(...)).
export function tn(key, vars = {}) {
  const out = [];
  const parts = message(key, vars).split(/\{(\w+)\}/);
  parts.forEach((p, i) => {
    if (i % 2 === 0) { if (p) out.push(p); return; }
    out.push(p in vars ? vars[p] : `{${p}}`);
  });
  return out;
}

// Elements of the static page (index.html) name their message in data-t.
export function translateStatic(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
}

// The header's language button: English ↔ Español (the page is built again in it).
export function toggleLanguage() {
  localStorage.setItem('lang', lang === 'es' ? 'en' : 'es');
  location.reload();
}
