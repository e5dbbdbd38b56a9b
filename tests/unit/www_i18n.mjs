// The phone UI's message catalogues (www/js/lang/*.js) against the code that uses them,
// and the translation runtime (www/js/i18n.js) itself, in node without a browser.
//   node tests/unit/www_i18n.mjs [WWW_DIR]
// Fails when: a key used in js/ or index.html is missing from a catalogue; a catalogue
// has a key English lacks (or lacks one English has); a message's placeholders or
// plural forms differ between languages; an English key is used nowhere; anything in
// www/ still translates by watching the DOM (MutationObserver); t()/tn() do not
// interpolate, pluralise or fall back as documented, or translate the values put in.
import { readFileSync, readdirSync, statSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const www = process.argv[2] || join(here, '../../www');
let failures = 0;
function check(cond, what) {
  if (cond) return;
  failures++;
  console.log(`FAIL ${what}`);
}

function files(dir, ext) {
  return readdirSync(dir).flatMap(f => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

// The runtime and the catalogues are plain ES modules: load them from a copy beside a
// package.json that says so, with the browser globals they read.
const tmp = mkdtempSync(join(tmpdir(), 'www-i18n-'));
mkdirSync(join(tmp, 'lang'));
writeFileSync(join(tmp, 'package.json'), '{"type":"module"}');
for (const f of ['i18n.js', 'lang/en.js', 'lang/es.js', ...readdirSync(join(www, 'js/lang')).map(f => `lang/${f}`)])
  writeFileSync(join(tmp, f), readFileSync(join(www, 'js', f)));
const store = { lang: 'es' };
globalThis.localStorage = { getItem: k => store[k] ?? null, setItem: (k, v) => { store[k] = v; } };
Object.defineProperty(globalThis, 'navigator', { value: { language: 'en-US', languages: ['en-US'] }, configurable: true });
const i18n = await import(pathToFileURL(join(tmp, 'i18n.js')).href);
rmSync(tmp, { recursive: true, force: true });
const { catalogues, t, tn, lang } = i18n;
const en = catalogues.en;

// 1. keys used by the code
const used = new Set(), patterns = [];
const namespaces = new Set(Object.keys(en).map(k => k.split('.')[0]));
for (const f of files(join(www, 'js'), '.js')) {
  if (f.includes(`${join('js', 'lang')}`)) continue;
  const src = readFileSync(f, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  check(!/MutationObserver/.test(src), `${f}: no MutationObserver (translate at render time)`);
  for (const m of src.matchAll(/\btn?\(\s*'([^']+)'/g)) used.add(m[1]);
  // keys chosen before the call (t(cond ? 'a.b' : 'a.c')): any quoted string in a
  // catalogue namespace ('status.…', 'nodes.…') is a key
  for (const m of src.matchAll(/'([a-z]+)((?:\.[a-z0-9_]+)+)'/g)) if (namespaces.has(m[1])) used.add(m[1] + m[2]);
  for (const m of src.matchAll(/\btn?\(\s*`([^`]+)`/g)) {
    const re = new RegExp('^' + m[1].split(/\$\{[^}]*\}/).map(s => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[a-z_]+') + '$');
    patterns.push([m[1], re]);
  }
}
const html = readFileSync(join(www, 'index.html'), 'utf8');
check(!/MutationObserver/.test(html), 'index.html: no MutationObserver');
for (const m of html.matchAll(/data-t(?:-label)?="([^"]+)"/g)) used.add(m[1]);
check(used.size > 100, `the code uses catalogue keys (${used.size} found)`);
for (const k of used) check(k in en, `key "${k}" used in js/ exists in en.js`);
for (const [src, re] of patterns) check(Object.keys(en).some(k => re.test(k)), `template key \`${src}\` matches keys of en.js`);
for (const k of Object.keys(en))
  check(used.has(k) || patterns.some(([, re]) => re.test(k)), `en.js key "${k}" is used by the code`);

// 2. every catalogue has English's keys, placeholders and plural forms
const holes = s => [...s.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort().join(',');
const forms = m => (typeof m === 'object' ? Object.values(m) : [m]);
for (const [code, cat] of Object.entries(catalogues)) {
  for (const k of Object.keys(en)) check(k in cat, `${code}.js has "${k}"`);
  for (const k of Object.keys(cat)) {
    check(k in en, `${code}.js key "${k}" exists in en.js`);
    if (!(k in en)) continue;
    // a plural form may leave out {n} ("— online" for one); the forms together carry
    // the same placeholders in every language, and none beyond them
    const set = m => [...new Set(forms(m).flatMap(f => (typeof f === 'string' ? holes(f).split(',').filter(Boolean) : ['?'])))].sort().join(',');
    const want = set(en[k]);
    check(set(cat[k]) === want, `${code}.js "${k}": placeholders {${want}} (got {${set(cat[k])}})`);
    if (typeof cat[k] !== 'object') check(holes(cat[k]) === want, `${code}.js "${k}": placeholders {${want}}`);
    if (typeof cat[k] === 'object') check('other' in cat[k], `${code}.js "${k}": plural has "other"`);
    check((typeof cat[k] === 'object') === (typeof en[k] === 'object'), `${code}.js "${k}": plural in both or neither`);
  }
}

// 3. the runtime, in Spanish (localStorage "lang", as the header button sets it)
check(lang === 'es', 'localStorage lang=es selects Spanish');
check(t('nav.status') === 'Estado', 't() gives the Spanish message');
check(t('status.hop_gateway', { name: 'gateway' }) === 'gateway (salida)', 'a value (a node named "gateway") is put in untranslated');
check(t('nodes.state_online') === 'en línea' && t('status.neighbours', { n: 2 }) === 'Vecinos (2)', 'plain and numbered messages');
check(t('pending.count', { n: 1 }) === '1 cambio por aplicar' && t('pending.count', { n: 3 }) === '3 cambios por aplicar', 'plural forms by n');
check(t('no.such.key') === 'no.such.key', 'a missing key shows as itself');
check(t('status.hop_gateway', { name: '{n}' }) === '{n} (salida)', 'braces inside a value are not expanded again');
const node = { nodeType: 1 };
const parts = tn('gw.leaves_at', { name: node });
check(parts.length === 3 && parts[1] === node && /sale de la red por $/.test(parts[0]) && parts[2] === '.', 'tn() keeps a Node value as that node');

console.log(failures ? `${failures} check(s) failed` : `ok: ${used.size} keys, ${Object.keys(catalogues).length} languages`);
process.exit(failures ? 1 : 0);
