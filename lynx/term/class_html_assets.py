"""The HTML report's inline style and its one script (a click on a heading sorts the table by that column).
Kept apart from the page's structure (:mod:`lynx.term.class_html`); no ``url()``, no ``@import``: the
page fetches nothing."""

STYLE = """
:root { --fg: #1d2330; --dim: #5b6473; --line: #d9dee7; --bar: #3d7ea6; --bad: #a33a2a; --bg: #fbfcfe; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); }
header { padding: 18px 28px 8px; border-bottom: 1px solid var(--line); background: #fff; }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 28px 0 8px; font-size: 18px; }
h3 { margin: 18px 0 2px; font-size: 15px; }
nav a { margin-right: 14px; color: var(--bar); text-decoration: none; }
main { padding: 0 28px 40px; }
.sub, .hint { color: var(--dim); margin: 2px 0 8px; }
.bad { color: var(--bad); }
table { border-collapse: collapse; margin: 6px 0 12px; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #eef2f7; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " \\25B2"; }
th[aria-sort="descending"]::after { content: " \\25BC"; }
td { max-width: 420px; overflow-wrap: anywhere; }
q { quotes: "\\201C" "\\201D"; }
svg.chart { display: block; margin: 8px 0; font-size: 12px; fill: var(--fg); }
svg.chart rect, svg.spark rect { fill: var(--bar); }
svg .small { font-size: 10px; fill: var(--dim); }
article { border-top: 1px solid var(--line); padding-bottom: 6px; }
"""

SCRIPT = """
(function () {
  function value(cell, numeric) {
    var v = cell.getAttribute('data-v');
    if (v === null) { v = cell.textContent; }
    if (!numeric) { return v.toLowerCase(); }
    var n = parseFloat(v);
    return isNaN(n) ? -Infinity : n;
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var numeric = th.getAttribute('data-type') === 'num';
    rows.sort(function (a, b) {
      var x = value(a.cells[index], numeric), y = value(b.cells[index], numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? c : -c;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.addEventListener('click', function () { sortBy(table, index, th); });
    });
  });
}());
"""
