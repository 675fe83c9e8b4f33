/** The site's own static files: stylesheet (screen and print), icon, and the search page's script. */

export const CSS = `:root { --fg: #1d2330; --muted: #5b6475; --line: #d6dae2; --accent: #1f5fbf; --bg: #fff; --soft: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
.site-header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--soft); }
.site-header nav a { margin-right: .9rem; color: var(--accent); text-decoration: none; font-weight: 600; }
.search-form input { padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size: 1.6rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.25rem; margin-top: 1.8rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
a { color: var(--accent); }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.align-right, th.align-right { text-align: right; } td.align-center, th.align-center { text-align: center; }
.meta th { width: 12rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; background: var(--soft); border: 1px solid var(--line); font-size: .8rem; }
.sev-error, .st-expired, .st-overdue, .st-missing, .st-never, .st-invalid { color: #a4161a; font-weight: 600; }
.invalid-banner, .invalid-note { border: 1px solid #a4161a; border-left-width: 4px; padding: .4rem .7rem; background: #fdf1f1; }
.sev-warning, .st-renewal-due, .st-cancel-by, .st-stale, .st-due-soon { color: #8a5a00; font-weight: 600; }
.st-covered, .st-ok { color: #1b6e3a; }
.muted, .empty { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; min-width: 12rem; background: var(--soft); }
.card strong { display: block; font-size: 1.5rem; }
.body { border-top: 1px solid var(--line); margin-top: 1rem; }
.body img { max-width: 100%; }
.link-unresolved { text-decoration: underline dotted; }
li.task-list-item { list-style: none; }
.task-done, .task-open { margin-left: -1.2em; display: inline-block; width: 1.2em; }
pre { background: var(--soft); padding: .6rem; overflow-x: auto; }
.matrix td.hit { text-align: center; }
.matrix th.doc { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
#search-results li { margin: .3rem 0; }
.print-header { display: none; }
@media print {
  .site-header, .search-form, .no-print { display: none !important; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .print-header { display: block; border-bottom: 1px solid #000; padding-bottom: 4pt; margin-bottom: 8pt; font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  tr, pre, blockquote { break-inside: avoid; }
  @page { margin: 16mm 14mm; }
}
`;

export const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f5fbf"/><path d="M4 4h6l2 2v6H4z" fill="#fff"/></svg>\n`;

/**
 * The search page's script (a classic script: file:// allows no modules, fetch or workers).
 * `search/base.js` calls PolicyOpsSearch.base(...); shards are added as <script> tags when a
 * query needs them and call PolicyOpsSearch.shard(key, entries). Results are built with
 * textContent, never innerHTML.
 */
export const SEARCH_JS = `(function () {
  "use strict";
  var state = { base: null, shards: {}, requested: {}, index: null, added: {}, pending: null };
  function encode(term) {
    return Array.from(term).map(function (c) { return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_"; }).join("");
  }
  window.PolicyOpsSearch = {
    base: function (b) { state.base = b; },
    shard: function (key, entries) { state.shards[key] = entries; if (state.pending) state.pending(); }
  };
  function terms(q) {
    var tokenize = MiniSearch.getDefault("tokenize"), process = MiniSearch.getDefault("processTerm");
    return tokenize(q).map(function (t) { return process(t); }).filter(function (t) { return typeof t === "string" && t.length > 0; });
  }
  // A term is in the shard with the longest key that is a prefix of it; the word being typed
  // (searched as a prefix) also needs every shard whose key starts with it.
  function neededKeys(ts) {
    var keys = {};
    ts.forEach(function (t, i) {
      var e = encode(t), last = i === ts.length - 1, best = null;
      state.base.shards.forEach(function (s) {
        if (e.indexOf(s) === 0 && (best === null || s.length > best.length)) best = s;
        if (last && s.indexOf(e) === 0) keys[s] = true;
      });
      if (best !== null) keys[best] = true;
    });
    return Object.keys(keys).sort();
  }
  function load(keys, done) {
    var missing = keys.filter(function (k) { return !state.shards[k]; });
    if (missing.length === 0) return done();
    state.pending = function () { if (keys.every(function (k) { return state.shards[k]; })) { state.pending = null; done(); } };
    missing.forEach(function (k) {
      if (state.requested[k]) return;
      state.requested[k] = true;
      var s = document.createElement("script");
      s.src = "search/s-" + k + ".js";
      s.onerror = function () { status("Part of the search index is missing: rebuild the site."); };
      document.head.appendChild(s);
    });
  }
  // The documents are read once, when the page loads (MiniSearch.loadJS with no terms); each
  // shard's terms are then added as it arrives, the way loadJS adds them (minisearch 7.2.0 is
  // pinned), so the first query pays only for its own shard.
  function numericMap(o) {
    var m = new Map();
    Object.keys(o).forEach(function (k) { m.set(parseInt(k, 10), o[k]); });
    return m;
  }
  function indexFor() {
    var b = state.base;
    if (!state.index) {
      state.index = MiniSearch.loadJS({ documentCount: b.documentCount, nextId: b.nextId, documentIds: b.documentIds, fieldIds: b.fieldIds, fieldLength: b.fieldLength, averageFieldLength: b.averageFieldLength, storedFields: b.storedFields, dirtCount: b.dirtCount, serializationVersion: b.serializationVersion, index: [] }, b.options);
      state.added = {};
    }
    Object.keys(state.shards).forEach(function (k) {
      if (state.added[k]) return;
      state.added[k] = true;
      state.shards[k].forEach(function (entry) {
        var data = entry[1], fields = new Map();
        Object.keys(data).forEach(function (f) { fields.set(parseInt(f, 10), numericMap(data[f])); });
        state.index._index.set(entry[0], fields);
      });
    });
    return state.index;
  }
  var out, statusEl, input, seq = 0;
  function status(text) { statusEl.textContent = text; }
  function render(q, hits) {
    out.textContent = "";
    hits.slice(0, 50).forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span");
      a.href = h.url; a.textContent = h.id + " \\u2014 " + (h.title || "(untitled)");
      kind.className = "badge"; kind.textContent = h.kind;
      li.appendChild(a); li.appendChild(document.createTextNode(" ")); li.appendChild(kind);
      out.appendChild(li);
    });
    status(hits.length === 0 ? "No document matches \\u201c" + q + "\\u201d." : hits.length + " document" + (hits.length === 1 ? "" : "s") + " match" + (hits.length === 1 ? "es" : "") + " \\u201c" + q + "\\u201d" + (hits.length > 50 ? " (first 50 shown)." : "."));
  }
  function run() {
    var q = input.value.trim(), mine = ++seq;
    if (!state.base) return status("The search index is missing: rebuild the site.");
    if (q === "") { out.textContent = ""; return status(""); }
    var ts = terms(q);
    if (ts.length === 0) return render(q, []);
    status("Searching\\u2026");
    load(neededKeys(ts), function () {
      if (mine !== seq) return;
      render(q, indexFor().search(q, { prefix: function (t, i, all) { return i === all.length - 1; }, combineWith: "AND", boost: { id: 3, title: 2 } }));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    out = document.getElementById("search-results"); statusEl = document.getElementById("search-status"); input = document.getElementById("search-input");
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 60); });
    if (state.base) indexFor();
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(); }
    input.focus();
  });
})();
`;
