// The refit registry web view: a hash-routed page over the JSON API under /ui/api/.
// Every value from the API is put in the page as text, never as HTML.
'use strict';

const PAGE = 50;
const main = document.getElementById('main');

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function href(view, params) {
  return '#/' + view + (params ? '?' + new URLSearchParams(params).toString() : '');
}

async function api(path, params) {
  // From the origin, never the page's URL: fetch refuses a URL that carries user:password@.
  const url = new URL('api/' + path, location.origin + location.pathname);
  if (params) url.search = new URLSearchParams(params).toString();
  const response = await fetch(url, { credentials: 'same-origin' });
  let body;
  try { body = await response.json(); } catch (e) { body = { error: response.statusText }; }
  if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
  return body;
}

function size(bytes) {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
}

function shortDigest(d) { return d ? d.replace(/^sha256:/, '').slice(0, 12) : '-'; }
function date(s) { return s ? s.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-'; }

function show(...nodes) { main.replaceChildren(...nodes); }
function failed(err) { show(el('p', { class: 'error', text: err.message })); }

function pager(last, next, go) {
  // 'last' is where this page starts (null: the first page); history keeps earlier starts.
  const back = el('button', { text: '← Previous', onclick: () => history.back() });
  if (!last) back.disabled = true;
  const fwd = el('button', { text: 'Next →', onclick: () => go(next) });
  if (!next) fwd.disabled = true;
  return el('div', { class: 'pager' }, back, fwd);
}

async function repositories(q) {
  const page = await api('repositories', Object.assign({ n: PAGE }, q.last ? { last: q.last } : {}));
  const rows = page.repositories.map(r => el('tr', { class: r.apex ? 'apex' : null },
    el('td', {}, el('a', { href: href('repo', { name: r.name }), class: 'repo', text: r.name }),
      r.apex ? el('span', { class: 'badge', text: 'apex' }) : null),
    el('td', { class: 'num', text: String(r.tags) })));
  show(el('h1', { text: 'Repositories (' + page.total + ')' }),
    el('table', { id: 'repositories' }, el('tr', {}, el('th', { text: 'repository' }), el('th', { text: 'tags' })), ...rows),
    pager(q.last, page.next, next => { location.hash = href('', { last: next }); }));
}

async function repository(q) {
  const page = await api('tags', Object.assign({ repo: q.name, n: PAGE }, q.last ? { last: q.last } : {}));
  const rows = page.tags.map(t => el('tr', { class: t.apex || t.patched ? 'apex' : null },
    el('td', {}, el('a', { href: href('image', { repo: q.name, ref: t.tag }), class: 'tag', text: t.tag }),
      t.apex ? el('span', { class: 'badge', text: 'apex' }) : null),
    el('td', { class: 'mono', title: t.digest, text: shortDigest(t.digest) }),
    el('td', { class: 'num', text: size(t.size) }),
    el('td', { text: date(t.created) }),
    el('td', { text: t.platform || (t.platforms ? t.platforms.join(', ') : '-') })));
  show(el('p', {}, el('a', { href: href(''), text: '← repositories' })),
    el('h1', { text: q.name }),
    el('table', { id: 'tags' }, el('tr', {}, ...['tag', 'digest', 'size', 'created', 'platform']
      .map(h => el('th', { text: h }))), ...rows),
    pager(q.last, page.next, next => { location.hash = href('repo', { name: q.name, last: next }); }));
}

function facts(pairs) {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of pairs) dl.append(el('dt', { text: k }), el('dd', {}, v instanceof Node ? v : (v ?? '-')));
  return dl;
}

async function image(q) {
  const img = await api('image', { repo: q.repo, ref: q.ref });
  const parts = [el('p', {}, el('a', { href: href('repo', { name: q.repo }), text: '← ' + q.repo })),
    el('h1', { text: q.repo + ':' + q.ref }),
    facts([['digest', el('code', { text: img.digest })], ['media type', img.mediaType],
      ['size', size(img.size)], ['created', date(img.created)], ['platform', img.platform || '-']])];
  if (img.manifests) {
    parts.push(el('h2', { text: 'Platforms' }), el('table', {}, ...img.manifests.map(m => el('tr', {},
      el('td', {}, el('a', { href: href('image', { repo: q.repo, ref: m.digest }), text: m.platform || m.digest })),
      el('td', { class: 'mono', text: m.digest }), el('td', { class: 'num', text: size(m.size) })))));
    show(...parts);
    return;
  }
  const p = img.provenance;
  if (p) {
    const base = p.baseInStore
      ? el('a', { href: href('image', { repo: p.baseRepository, ref: p.baseDigest }), text: p.baseName + '@' + shortDigest(p.baseDigest) })
      : (p.baseName || '-') + ' @ ' + (p.baseDigest || '-');
    parts.push(el('h2', { text: 'Provenance' }),
      facts([['base', base], ['builder', p.builder], ['refit version', p.version], ['build key', el('code', { text: p.buildKey || '-' })]]),
      el('h2', { text: 'Patches (' + p.patches.length + ')' }),
      el('table', { id: 'patches' }, el('tr', {}, ...['id', 'source', 'revision', 'sha256'].map(h => el('th', { text: h }))),
        ...p.patches.map(x => el('tr', {}, el('td', { class: 'mono', text: x.id }), el('td', { text: x.source }),
          el('td', { text: x.revision || '-' }), el('td', { class: 'mono', text: x.sha256 })))));
  }
  parts.push(el('h2', { text: 'Layers (' + img.layers.length + ')' }),
    el('table', {}, ...img.layers.map(l => el('tr', {}, el('td', { class: 'mono', text: l.digest }),
      el('td', { class: 'num', text: size(l.size) }), el('td', { class: 'muted', text: l.mediaType })))));
  const diffBox = el('div', { id: 'diff' });
  if (p && p.baseInStore) {
    parts.push(el('h2', { text: 'Diff against the upstream base' }), diffBox);
  }
  show(...parts);
  if (p && p.baseInStore) {
    diffBox.append(el('p', { class: 'muted', text: 'Comparing…' }));
    try { renderDiff(diffBox, await api('diff', { repo: q.repo, ref: q.ref })); }
    catch (err) { diffBox.replaceChildren(el('p', { class: 'error', text: err.message })); }
  }
}

function renderDiff(box, diff) {
  const summary = el('p', { id: 'diff-summary', text: summaryText(diff.summary) });
  const fileView = el('div', { class: 'filediff', id: 'filediff' },
    el('p', { class: 'meta muted', text: 'Pick a file to see its changes.' }));
  let mode = 'unified', current = null;
  const toggle = el('div', { class: 'toggle' });
  const modes = { unified: 'Unified', split: 'Side by side' };
  for (const [m, label] of Object.entries(modes)) {
    toggle.append(el('button', { id: 'mode-' + m, class: m === mode ? 'on' : null, text: label, onclick: () => {
      mode = m;
      toggle.querySelectorAll('button').forEach(b => b.classList.toggle('on', b.id === 'mode-' + m));
      if (current) renderFile(fileView, current, mode);
    } }));
  }
  const files = el('div', { class: 'files', id: 'files' });
  for (const entry of diff.paths) {
    const link = el('a', { role: 'button', tabindex: '0', class: 'path change-' + entry.change, 'data-path': entry.path,
      title: entry.change, text: marker(entry.change) + ' ' + entry.path });
    link.addEventListener('click', () => {
      files.querySelectorAll('a.selected').forEach(a => a.classList.remove('selected'));
      link.classList.add('selected');
      current = entry;
      renderFile(fileView, entry, mode);
    });
    files.append(link);
  }
  if (diff.paths.length === 0) files.append(el('p', { class: 'meta muted', text: 'No file differs.' }));
  const extra = [];
  if (diff.config && diff.config.length) {
    extra.push(el('h2', { text: 'Config' }), el('table', { id: 'config-diff' },
      el('tr', {}, ...['field', 'upstream', 'this image'].map(h => el('th', { text: h }))),
      ...diff.config.map(c => el('tr', {}, el('td', { text: c.field }),
        el('td', { class: 'mono', text: show1(c.a) }), el('td', { class: 'mono', text: show1(c.b) })))));
  }
  if (diff.packages && diff.packages.length) {
    extra.push(el('h2', { text: 'Packages' }), el('table', {}, ...diff.packages.map(pk => el('tr', {},
      ...Object.values(pk).map(v => el('td', { text: show1(v) }))))));
  }
  box.replaceChildren(summary, toggle, el('div', { class: 'diff' }, files, fileView), ...extra);
}

function show1(v) { return v === null || v === undefined ? '-' : (typeof v === 'string' ? v : JSON.stringify(v)); }
function marker(change) { return change === 'added' ? '+' : change === 'removed' ? '−' : '~'; }

function summaryText(s) {
  if (!s) return '';
  return Object.entries(s).map(([k, v]) => k + ': ' + show1(v)).join(' · ');
}

function entryFacts(e) {
  if (!e) return 'absent';
  return [e.type, e.mode, 'uid ' + e.uid, 'gid ' + e.gid, size(e.size), e.linkTarget ? '→ ' + e.linkTarget : null,
    e.sha256 ? shortDigest(e.sha256) : null].filter(x => x !== null && x !== undefined).join('  ');
}

function renderFile(view, entry, mode) {
  const head = el('div', { class: 'meta' },
    el('div', { class: 'mono', text: entry.path + ' (' + entry.change + ')' }),
    el('div', { class: 'muted mono', text: 'upstream: ' + entryFacts(entry.a) }),
    el('div', { class: 'muted mono', text: 'this image: ' + entryFacts(entry.b) }),
    entry.differs && entry.differs.length ? el('div', { class: 'muted', text: 'differs in: ' + entry.differs.join(', ') }) : null);
  if (!entry.unified) {
    view.replaceChildren(head, el('p', { class: 'meta muted', text: 'No text diff for this entry.' }));
    return;
  }
  const lines = entry.unified.replace(/\n$/, '').split('\n');
  view.replaceChildren(head, mode === 'split' ? split(lines) : unified(lines));
}

function hunkStart(line) {
  const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(line);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function unified(lines) {
  const table = el('table', { id: 'unified' });
  let a = 0, b = 0;
  for (const line of lines) {
    if (line.startsWith('---') || line.startsWith('+++')) continue;
    const h = hunkStart(line);
    if (h) { [a, b] = h; table.append(el('tr', { class: 'hunk' }, el('td', { class: 'ln' }), el('td', { class: 'ln' }), el('td', { text: line }))); continue; }
    const kind = line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : null;
    table.append(el('tr', { class: kind },
      el('td', { class: 'ln', text: kind === 'add' ? '' : String(a) }),
      el('td', { class: 'ln', text: kind === 'del' ? '' : String(b) }),
      el('td', { text: line })));
    if (kind !== 'add') a++;
    if (kind !== 'del') b++;
  }
  return table;
}

function split(lines) {
  const table = el('table', { id: 'split' });
  let a = 0, b = 0, dels = [], adds = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      const d = dels[i], p = adds[i];
      table.append(el('tr', {},
        el('td', { class: 'ln', text: d !== undefined ? String(a++) : '' }),
        el('td', { class: d !== undefined ? 'del' : null, text: d !== undefined ? d : '' }),
        el('td', { class: 'ln', text: p !== undefined ? String(b++) : '' }),
        el('td', { class: p !== undefined ? 'add' : null, text: p !== undefined ? p : '' })));
    }
    dels = []; adds = [];
  };
  for (const line of lines) {
    if (line.startsWith('---') || line.startsWith('+++')) continue;
    const h = hunkStart(line);
    if (h) { flush(); [a, b] = h; table.append(el('tr', { class: 'hunk' }, el('td', { colspan: '4', text: line }))); continue; }
    if (line[0] === '-') { dels.push(line.slice(1)); continue; }
    if (line[0] === '+') { adds.push(line.slice(1)); continue; }
    flush();
    const text = line.slice(1);
    table.append(el('tr', {}, el('td', { class: 'ln', text: String(a++) }), el('td', { text }),
      el('td', { class: 'ln', text: String(b++) }), el('td', { text })));
  }
  flush();
  return table;
}

async function report() {
  const r = await api('report');
  const rows = r.images.map(i => el('tr', { class: i.action === 'patched' ? 'apex' : null },
    el('td', { text: i.service }), el('td', { text: i.action }),
    el('td', { class: 'mono', title: i.upstreamDigest, text: shortDigest(i.upstreamDigest) }),
    el('td', { class: 'mono', title: i.apexDigest, text: shortDigest(i.apexDigest) }),
    el('td', { class: 'num', text: (i.millis / 1000).toFixed(1) + 's' }),
    el('td', { text: i.reason || i.apexReference || i.upstream || '' })));
  const parts = [el('h1', { text: 'Last prepare report' }),
    facts([['local registry', r.localRegistry], ['images', String(r.images.length)]]),
    el('table', { id: 'report' }, el('tr', {}, ...['image', 'action', 'upstream', 'apex', 'time', 'detail']
      .map(h => el('th', { text: h }))), ...rows)];
  for (const line of r.rewritten || []) parts.push(el('p', { class: 'muted', text: 'rewrote ' + line }));
  for (const a of r.artifacts || []) parts.push(el('p', { class: 'muted', text: 'artifact ' + a.action + ' ' + a.dest + ' (' + size(a.bytes) + ')' }));
  if (r.listsNote) parts.push(el('p', { class: 'error', text: r.listsNote }));
  show(...parts);
}

const VIEWS = { '': repositories, repo: repository, image: image, report: report };

async function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [view, query] = hash.split('?');
  const q = Object.fromEntries(new URLSearchParams(query || ''));
  const render = VIEWS[view] || repositories;
  show(el('p', { class: 'muted', text: 'Loading…' }));
  try { await render(q); } catch (err) { failed(err); }
}

window.addEventListener('hashchange', route);
route();
