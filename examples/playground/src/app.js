// prisma-audit playground: everything runs in the page (WebAssembly), nothing leaves the browser.
import init, { audit, render, version } from './pkg/prisma_audit_wasm.js';
import { rangeOf, encodeState, decodeState, debounce } from './util.js';

const FILES = {
  schema: 'prisma/schema.prisma',
  migration: 'prisma/migrations/20240101000000_init/migration.sql',
  env: '.env',
  code: 'src/lib/queries.ts',
};
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const $ = (id) => document.getElementById(id);
const editor = $('editor');
const gutter = $('gutter');

const state = { schema: '', migration: '', env: '', code: '' };
let tab = 'schema';
let report = null;
const shown = new Set(SEVERITIES);
// Test and benchmark hooks.
const hooks = (window.playground = { runs: 0, report: null, ms: 0, audit, render });

function input() {
  const files = {};
  for (const [key, path] of Object.entries(FILES)) {
    if (key === 'schema' || state[key].trim() !== '') files[path] = state[key];
  }
  return files;
}

function renderGutter() {
  const lines = editor.value.split('\n').length;
  let s = '';
  for (let i = 1; i <= lines; i++) s += i + '\n';
  gutter.textContent = s;
  gutter.scrollTop = editor.scrollTop;
}

function selectTab(name) {
  tab = name;
  for (const b of document.querySelectorAll('[data-tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.tab === name));
  }
  editor.value = state[name];
  $('path').textContent = FILES[name];
  renderGutter();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

function renderFilters() {
  const box = $('filters');
  box.querySelectorAll('label').forEach((l) => l.remove());
  for (const sev of SEVERITIES) {
    const count = report ? report.summary.counts[sev] : 0;
    const cb = el('input', { type: 'checkbox', checked: shown.has(sev), 'data-severity': sev });
    cb.addEventListener('change', () => {
      if (cb.checked) shown.add(sev); else shown.delete(sev);
      renderFindings();
    });
    box.append(el('label', { class: `sev-${sev}` }, cb, ` ${sev} (${count})`));
  }
}

function renderFindings() {
  const list = $('findings');
  list.replaceChildren();
  if (!report) return;
  const visible = report.findings.filter((f) => shown.has(f.severity));
  for (const f of visible) {
    const loc = f.location;
    const where = loc ? `${loc.file}:${loc.start.line}:${loc.start.column}` : '';
    const btn = el('button', { type: 'button', class: 'finding', 'data-rule': f.rule },
      el('span', { class: `sev sev-${f.severity}` }, f.severity),
      el('span', { class: 'rule' }, f.rule),
      el('span', { class: 'loc' }, where),
      el('span', { class: 'msg' }, f.message),
      f.help ? el('span', { class: 'help' }, f.help) : null);
    btn.addEventListener('click', () => reveal(f));
    list.append(el('li', {}, btn));
  }
  if (visible.length === 0) {
    list.append(el('li', { class: 'muted' }, report.findings.length ? 'All findings are filtered out.' : 'No findings.'));
  }
}

/** Select the finding's range in the editor (switching tab if it is in another file). */
function reveal(finding) {
  const loc = finding.location;
  if (!loc) return;
  const name = Object.keys(FILES).find((k) => FILES[k] === loc.file);
  if (!name) return;
  if (name !== tab) selectTab(name);
  const [start, end] = rangeOf(editor.value, loc);
  editor.focus();
  editor.setSelectionRange(start, end);
  // Scroll the selected line into view (line-height is fixed).
  const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 19.5;
  editor.scrollTop = Math.max(0, (loc.start.line - 5) * lineHeight);
  gutter.scrollTop = editor.scrollTop;
}

function runAudit() {
  const t0 = performance.now();
  try {
    report = audit(input());
    hooks.ms = performance.now() - t0;
    $('error').hidden = true;
  } catch (e) {
    report = null;
    hooks.ms = performance.now() - t0;
    $('error').hidden = false;
    $('error').textContent = String(e && e.message ? e.message : e);
  }
  hooks.report = report;
  hooks.runs++;
  const s = report && report.summary;
  $('summary').replaceChildren(s
    ? el('span', { class: `verdict-${s.verdict}` },
      `Verdict: ${s.verdict} — ${report.findings.length} finding(s), ${report.project.models} model(s)`)
    : '');
  $('status').textContent = `audited in ${hooks.ms.toFixed(1)} ms`;
  renderFilters();
  renderFindings();
  document.body.dataset.runs = String(hooks.runs);
}

async function saveHash() {
  const hash = '#' + (await encodeState(state));
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

const onEdit = debounce(() => { runAudit(); saveHash(); }, 200);

function download(format) {
  const ext = { json: 'json', markdown: 'md', sarif: 'sarif' }[format];
  const mime = { json: 'application/json', markdown: 'text/markdown', sarif: 'application/sarif+json' }[format];
  let text;
  try {
    text = render(input(), format);
  } catch (e) {
    $('error').hidden = false;
    $('error').textContent = String(e.message || e);
    return;
  }
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = el('a', { href: url, download: `prisma-audit-report.${ext}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function currentTheme() {
  return document.documentElement.dataset.theme
    || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

async function loadState() {
  const fromHash = location.hash.length > 1 ? await decodeState(location.hash) : null;
  if (fromHash) {
    for (const k of Object.keys(state)) state[k] = fromHash[k] ?? '';
    return;
  }
  const res = await fetch('default-schema.prisma');
  state.schema = res.ok ? await res.text() : '';
  state.migration = '';
  state.env = '';
  state.code = '';
}

async function main() {
  try { applyTheme(localStorage.getItem('theme')); } catch { /* storage disabled */ }
  $('theme').addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    try { localStorage.setItem('theme', next); } catch { /* storage disabled */ }
  });
  await init();
  $('version').textContent = 'v' + version();
  await loadState();
  for (const b of document.querySelectorAll('[data-tab]')) {
    b.addEventListener('click', () => selectTab(b.dataset.tab));
  }
  for (const b of document.querySelectorAll('[data-download]')) {
    b.addEventListener('click', () => download(b.dataset.download));
  }
  $('share').addEventListener('click', async () => {
    await saveHash();
    try { await navigator.clipboard.writeText(location.href); $('status').textContent = 'link copied'; }
    catch { $('status').textContent = 'copy the address bar to share'; }
  });
  editor.addEventListener('input', () => {
    state[tab] = editor.value;
    renderGutter();
    onEdit();
  });
  editor.addEventListener('scroll', () => { gutter.scrollTop = editor.scrollTop; });
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      editor.setRangeText('  ', editor.selectionStart, editor.selectionEnd, 'end');
      editor.dispatchEvent(new Event('input'));
    }
  });
  window.addEventListener('hashchange', async () => {
    const s = await decodeState(location.hash);
    if (!s) return;
    for (const k of Object.keys(state)) state[k] = s[k] ?? '';
    selectTab(tab);
    runAudit();
  });
  selectTab('schema');
  runAudit();
  document.body.dataset.ready = '1';
}

main().catch((e) => {
  $('status').textContent = 'failed to start';
  $('error').hidden = false;
  $('error').textContent = String(e && e.message ? e.message : e);
});
