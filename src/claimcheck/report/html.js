(function () {
  'use strict';
  // Progressive enhancement only: the page reads nothing, it works on the DOM written by claimcheck.
  // State in the URL fragment (#min=3&q=kharkiv&dis=1&sort=support) makes a filtered view shareable.
  var d = document;
  var $ = function (sel, el) { return Array.prototype.slice.call((el || d).querySelectorAll(sel)); };
  var controls = d.getElementById('controls');
  var cards = $('article.claim');
  var rows = $('table.matrix tbody tr');
  if (!controls) { return; }
  controls.hidden = false;
  var fMin = d.getElementById('f-min'), fQ = d.getElementById('f-q'), fDis = d.getElementById('f-dis');
  var count = d.getElementById('f-count'), none = d.getElementById('none');
  var tbody = d.querySelector('table.matrix tbody');
  var norm = function (s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); };
  var rowOf = {};
  rows.forEach(function (r) { rowOf[r.dataset.claim] = r; });
  cards.forEach(function (c) { c.searchText = norm(c.textContent); });
  var sortKey = 'order', sortDir = 1;

  function state() {
    var h = location.hash.slice(1);
    return h.indexOf('=') >= 0 ? new URLSearchParams(h) : null;
  }

  function apply(save) {
    var min = parseInt(fMin.value, 10) || 1, q = norm(fQ.value.trim()), dis = fDis.checked, shown = 0;
    cards.forEach(function (c) {
      var ok = +c.dataset.support >= min && (!dis || c.dataset.dis === '1') && (!q || c.searchText.indexOf(q) >= 0);
      c.hidden = !ok;
      if (rowOf[c.id]) { rowOf[c.id].hidden = !ok; }
      if (ok) { shown += 1; }
    });
    count.textContent = 'showing ' + shown + ' of ' + cards.length + ' claims';
    if (none) { none.hidden = shown > 0; }
    if (save) {
      var p = new URLSearchParams();
      if (min !== +fMin.defaultValue) { p.set('min', min); }
      if (q) { p.set('q', fQ.value.trim()); }
      if (dis) { p.set('dis', '1'); }
      if (sortKey !== 'order') { p.set('sort', (sortDir < 0 ? '-' : '') + sortKey); }
      try { history.replaceState(null, '', p.toString() ? '#' + p.toString() : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
    }
  }

  function keyOf(el) {
    if (sortKey === 'order') { return [+el.dataset.order]; }
    if (sortKey === 'support') { return [-el.dataset.support, +el.dataset.order]; }
    if (sortKey === 'text') { var c = d.getElementById(el.dataset.claim); return [norm(c.querySelector('.rep').textContent)]; }
    if (sortKey === 'dis') { return [-el.dataset.dis, +el.dataset.order]; }
    var src = sortKey.slice(4);
    return [el.dataset.sources.split(' ').indexOf(src) >= 0 ? 0 : 1, +el.dataset.order];
  }

  function compare(a, b) {
    var ka = keyOf(a), kb = keyOf(b);
    for (var i = 0; i < ka.length; i += 1) {
      if (ka[i] < kb[i]) { return i === 0 ? -sortDir : -1; }
      if (ka[i] > kb[i]) { return i === 0 ? sortDir : 1; }
    }
    return 0;
  }

  function sort(key, dir) {
    sortKey = key; sortDir = dir;
    rows.slice().sort(compare).forEach(function (r) { tbody.appendChild(r); });
    // each card stays in its own box (corroborated claims, possible matches)
    cards.slice().sort(compare).forEach(function (c) { c.parentNode.appendChild(c); });
    $('table.matrix thead th[data-sort]').forEach(function (th) {
      if (th.dataset.sort === key) { th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending'); } else { th.removeAttribute('aria-sort'); }
    });
  }

  $('table.matrix thead th[data-sort]').forEach(function (th) {
    var b = d.createElement('button');
    b.type = 'button'; b.className = 'sort'; b.title = 'sort by this column';
    while (th.firstChild) { b.appendChild(th.firstChild); }
    th.appendChild(b);
    b.addEventListener('click', function () {
      var key = th.dataset.sort;
      sort(key, key === sortKey ? -sortDir : 1);
      apply(true);
    });
  });

  function mark(claim, cls, on) {
    $('[data-claim="' + claim + '"].s, #m-' + claim + ', article.claim#' + claim).forEach(function (el) {
      el.classList.toggle(cls, on);
    });
  }

  var selected = null;
  function select(claim, focusSource) {
    if (selected) { mark(selected, 'sel', false); }
    selected = claim;
    mark(claim, 'sel', true);
    $('.doc').forEach(function (doc) {
      var s = doc.querySelector('.s[data-claim="' + claim + '"]'), body = doc.querySelector('.doc-body');
      if (s && body) { body.scrollTop = s.offsetTop - body.offsetTop - body.clientHeight / 3; }
    });
    var target = focusSource ? d.getElementById(focusSource) : d.getElementById('sources');
    if (target) { target.scrollIntoView({ block: 'start' }); }
  }

  function openClaim(claim) {
    var c = d.getElementById(claim);
    if (!c) { return; }
    var det = c.querySelector('details');
    if (det) { det.open = true; }
    if (selected) { mark(selected, 'sel', false); }
    selected = claim;
    mark(claim, 'sel', true);
    c.scrollIntoView({ block: 'start' });
  }

  d.addEventListener('click', function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[data-claim]') : null;
    if (!a) { return; }
    var claim = a.dataset.claim, href = a.getAttribute('href') || '';
    ev.preventDefault();
    if (a.classList.contains('s')) { openClaim(claim); return; }
    // A member's outlet link: that article's pane; "show in the articles": every article.
    var srcId = a.closest('.member') ? 'src-' + a.closest('.member').dataset.source : null;
    select(claim, srcId);
    if (href.charAt(0) === '#') { try { history.replaceState(null, '', href); } catch (e) { /* file: URLs */ } }
  });

  function hover(ev, on) {
    var el = ev.target.closest ? ev.target.closest('[data-claim]') : null;
    if (el) { mark(el.dataset.claim, 'hl', on); }
  }
  var heads = $('table.matrix thead th');
  d.addEventListener('mouseover', function (ev) {
    hover(ev, true);
    var td = ev.target.closest ? ev.target.closest('td.cell') : null;
    if (td && !td.title) {
      var th = heads[td.cellIndex], tr = td.parentNode;
      var what = td.classList.contains('on') ? ' carries ' : td.classList.contains('miss') ? ' alone misses ' : ' does not carry ';
      td.title = (th ? th.title : '') + what + tr.dataset.claim + (td.classList.contains('relayed') ? ' (relayed or copied)' : '');
    }
  });
  d.addEventListener('mouseout', function (ev) { hover(ev, false); });

  [fMin, fQ, fDis].forEach(function (el) { el.addEventListener('input', function () { apply(true); }); });

  // Printing shows every outlet's wording and every dropped line.
  var closed = [];
  window.addEventListener('beforeprint', function () {
    closed = $('details:not([open])');
    closed.forEach(function (x) { x.open = true; });
  });
  window.addEventListener('afterprint', function () { closed.forEach(function (x) { x.open = false; }); });

  function fromHash() {
    var p = state();
    if (p) {
      if (p.has('min')) { fMin.value = p.get('min'); }
      if (p.has('q')) { fQ.value = p.get('q'); }
      fDis.checked = p.get('dis') === '1';
      var s = p.get('sort');
      if (s) { sort(s.replace(/^-/, ''), s.charAt(0) === '-' ? -1 : 1); }
      apply(false);
      if (p.has('open')) { openClaim(p.get('open')); }
      return;
    }
    apply(false);
    var id = location.hash.slice(1);
    if (/^c\d+$/.test(id)) { openClaim(id); }
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
}());
