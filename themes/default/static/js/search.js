/* hotdesk search: filters the server-rendered list of spaces in the browser.
 * Index format and query semantics: src/search/mod.rs and src/search/query.rs (the
 * reference implementation this file is tested against in tests/it/search.rs).
 * No dependency, no request but /search/index.json (fetched on first use). */
(function (root) {
  'use strict';
  var ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var DIGIT = {};
  for (var a = 0; a < 64; a++) DIGIT[ALPHABET.charAt(a)] = a;
  var FOLD = { 'æ': 'ae', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ı': 'i', 'ŀ': 'l', 'ł': 'l', 'ø': 'o',
    'œ': 'oe', 'ß': 'ss', 'þ': 'th', 'ŧ': 't' };
  var FOLD_RE = /[æđðħıŀłøœßþŧ]/g;
  var MARK_RE = /\p{M}/gu;
  var WORD_RE = /[\p{Alphabetic}\p{N}]+/gu;
  var LAST_WORD_CHAR_RE = /[\p{Alphabetic}\p{N}]$/u;
  var TYPO_MIN_LEN = 5;

  // ---------------------------------------------------------------- text (src/search/text.rs)
  function normalize(s) {
    return s.normalize('NFD').replace(MARK_RE, '').toLowerCase()
      .replace(FOLD_RE, function (c) { return FOLD[c]; });
  }
  function tokenize(norm) { return norm.match(WORD_RE) || []; }
  function withinOneEdit(a, b) {
    var la = a.length, lb = b.length, i = 0;
    if (la - lb > 1 || lb - la > 1) return false;
    while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (i === la && i === lb) return true;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  function prefixWithinOneEdit(term, word) {
    var n = word.length;
    for (var k = Math.max(0, n - 1); k <= n + 1; k++) {
      if (k <= term.length && withinOneEdit(term.slice(0, k), word)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- postings (src/search/encode.rs)
  function decodeIds(s, n) {
    var ids = [], i, k;
    if (s.charAt(0) === '~') {
      for (i = 1; i < s.length; i++) {
        var d = DIGIT[s.charAt(i)];
        for (k = 0; k < 6; k++) if (d & (1 << k)) ids.push((i - 1) * 6 + k);
      }
      return ids;
    }
    var prev = -1, gap = 0, shift = 0;
    for (i = 0; i < s.length; i++) {
      var x = DIGIT[s.charAt(i)];
      gap += (x & 31) * Math.pow(2, shift);
      if (x >= 32) { shift += 5; continue; }
      prev += gap + 1;
      ids.push(prev);
      gap = 0; shift = 0;
    }
    return ids;
  }
  function bitsOf(ids, words) {
    var b = new Uint32Array(words);
    for (var i = 0; i < ids.length; i++) b[ids[i] >>> 5] |= 1 << (ids[i] & 31);
    return b;
  }
  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  function countAnd(a, b) {
    var c = 0;
    for (var i = 0; i < a.length; i++) if (a[i] & b[i]) c += popcount(a[i] & b[i]);
    return c;
  }

  // ---------------------------------------------------------------- the index (src/search/mod.rs)
  var SHARDS = 32;
  function prepare(raw) {
    var n = raw.n, words = (n + 31) >>> 5;
    var undelta = function (xs) { var acc = 0; return xs.map(function (d) { return (acc += d); }); };
    var ix = {
      n: n, words: words, tz: raw.tz, listed: bitsOf(decodeIds(raw.listed, n), words), facets: [],
      day: raw.day, month: raw.month, cap: raw.cap, lat: undelta(raw.lat), lon: undelta(raw.lon),
      places: raw.places, hours: raw.hours, h: raw.h, shardHash: {}, shards: {}
    };
    raw.shards.forEach(function (r) { ix.shardHash[r[0]] = r[1]; });
    for (var f = 0; f < raw.facets.length; f++) {
      var g = raw.facets[f], opts = [];
      for (var o = 0; o < g[2].length; o++) opts.push({ id: g[2][o][0], bits: bitsOf(decodeIds(g[2][o][1], n), words) });
      ix.facets.push({ name: g[0], mode: g[1], options: opts });
    }
    return ix;
  }
  function shardOf(word) { return word.charCodeAt(0) % SHARDS; }
  // Shards the words of `text` need that are not loaded yet (and exist).
  function missingShards(ix, text) {
    var out = [];
    tokenize(normalize(text)).forEach(function (w) {
      var k = shardOf(w);
      if (ix.shardHash[k] && !ix.shards[k] && out.indexOf(k) < 0) out.push(k);
    });
    return out;
  }
  function addShard(ix, k, raw) {
    var cache = [];
    ix.shards[k] = {
      terms: raw.terms, tp: raw.tp, ts: raw.ts,
      post: function (p) { return cache[p] || (cache[p] = decodeIds(raw.post[p], ix.n)); }
    };
  }

  // ---------------------------------------------------------------- query (src/search/query.rs)
  function textScores(ix, text) {
    var norm = normalize(text), ws = tokenize(norm), n = ix.n;
    var typing = LAST_WORD_CHAR_RE.test(norm);
    var total = new Int32Array(n);
    for (var k = 0; k < ws.length; k++) {
      var w = ws[k], prefix = typing && k === ws.length - 1, typo = w.length >= TYPO_MIN_LEN;
      var best = new Uint8Array(n), shard = ix.shards[shardOf(w)] || { terms: [] };
      var terms = shard.terms, first = w.charCodeAt(0);
      for (var t = 0; t < terms.length; t++) {
        var term = terms[t], level;
        if (term === w) level = 3;
        else if (prefix && term.lastIndexOf(w, 0) === 0) level = 2;
        else if (typo && term.charCodeAt(0) === first &&
          (withinOneEdit(term, w) || (prefix && prefixWithinOneEdit(term, w)))) level = 1;
        else continue;
        raise(best, shard.tp[t] >= 0 ? shard.post(shard.tp[t]) : null, level + 3);
        raise(best, shard.ts[t] >= 0 ? shard.post(shard.ts[t]) : null, level);
      }
      for (var i = 0; i < n; i++) total[i] = total[i] < 0 || best[i] === 0 ? -1 : total[i] + best[i];
    }
    return total;
  }
  function raise(best, ids, level) {
    if (!ids) return;
    for (var i = 0; i < ids.length; i++) if (best[ids[i]] < level) best[ids[i]] = level;
  }
  function distanceKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    var a = Math.pow(Math.sin(dlat / 2), 2) + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.pow(Math.sin(dlon / 2), 2);
    return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  function inRange(v, r) {
    if (!r || (r[0] == null && r[1] == null)) return true;
    return v != null && (r[0] == null || v >= r[0]) && (r[1] == null || v <= r[1]);
  }
  function isOpen(ix, i, day, minute) {
    var h = ix.h[i];
    if (h < 0) return false;
    var list = ix.hours[h][1][day];
    for (var k = 0; k < list.length; k += 2) if (list[k] <= minute && minute < list[k + 1]) return true;
    return false;
  }
  /* q: {text, selected: {facet: [ids]}, day, month, cap: [lo, hi], openAt: [weekday, minute],
   * near: [lat, lon, radiusKm or null]}. Returns {ids (ascending), scores, counts, bits}. */
  function run(ix, q) {
    var n = ix.n, words = ix.words, scores = textScores(ix, q.text || '');
    var base = new Uint32Array(words), near = q.near, open = q.openAt;
    for (var i = 0; i < n; i++) {
      if (!(ix.listed[i >>> 5] & (1 << (i & 31))) || scores[i] < 0) continue;
      if (!inRange(ix.day[i], q.day) || !inRange(ix.month[i], q.month) || !inRange(ix.cap[i], q.cap)) continue;
      if (open && !isOpen(ix, i, open[0], open[1])) continue;
      if (near && near[2] != null && distanceKm(near[0], near[1], ix.lat[i] / 1e4, ix.lon[i] / 1e4) > near[2]) continue;
      base[i >>> 5] |= 1 << (i & 31);
    }
    var allowed = ix.facets.map(function (f) {
      var sel = (q.selected && q.selected[f.name]) || [];
      if (!sel.length) return null;
      var chosen = f.options.filter(function (o) { return sel.indexOf(o.id) >= 0; });
      var b = new Uint32Array(words), j, w;
      if (f.mode === 'any') {
        for (j = 0; j < chosen.length; j++) for (w = 0; w < words; w++) b[w] |= chosen[j].bits[w];
      } else if (chosen.length === sel.length) {
        b.fill(0xffffffff);
        for (j = 0; j < chosen.length; j++) for (w = 0; w < words; w++) b[w] &= chosen[j].bits[w];
      }
      return b;
    });
    function narrow(except) {
      var b = base.slice();
      for (var g = 0; g < allowed.length; g++) {
        if (g === except || !allowed[g]) continue;
        for (var w = 0; w < words; w++) b[w] &= allowed[g][w];
      }
      return b;
    }
    var results = narrow(-1), counts = {};
    ix.facets.forEach(function (f, g) {
      var pool = f.mode === 'all' || !allowed[g] ? results : narrow(g);
      counts[f.name] = f.options.map(function (o) { return countAnd(pool, o.bits); });
    });
    var ids = [];
    for (var w = 0; w < words; w++) {
      var x = results[w];
      while (x) { var low = x & -x; ids.push((w << 5) + 31 - Math.clz32(low)); x ^= low; }
    }
    return { ids: ids, scores: scores, counts: counts, bits: results };
  }

  // ---------------------------------------------------------------- time in the site's zone
  var WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  function weekMinute(date, timeZone) {
    var parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
    }).formatToParts(date), p = {};
    parts.forEach(function (x) { p[x.type] = x.value; });
    return [WEEKDAYS[p.weekday], (+p.hour % 24) * 60 + +p.minute];
  }

  // ---------------------------------------------------------------- the page
  function Search(form) {
    this.form = form;
    this.list = form.closest('section').querySelector('ul[data-neutral-list]');
    this.status = form.querySelector('[data-search-status]');
    this.ix = null;
    this.loading = null;
    this.origin = null; // [lat, lon] chosen by "near me"
    this.shown = null;
    this.distances = null;
    this.lastQuery = null;
    this.shardLoads = {};
  }
  Search.prototype.t = function (key, count) {
    var s = this.form.getAttribute('data-t-' + key) || '';
    return count == null ? s : s.replace('{count}', String(count));
  };
  Search.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.say(this.t('loading'));
      this.loading = fetch(this.form.getAttribute('data-index'))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (raw) {
          self.ix = prepare(raw);
          self.items = {};
          self.neutral = Array.prototype.slice.call(self.list.children);
          self.rank = {};
          self.at = {};
          self.neutral.forEach(function (li, k) {
            var id = li.getAttribute('data-id');
            self.items[id] = li;
            self.rank[id] = k;
            self.at[id] = k;
          });
          self.apply();
        }, function () { self.say(self.t('failed')); });
    }
    return this.loading;
  };
  Search.prototype.say = function (text) {
    if (this.status && this.status.textContent !== text) this.status.textContent = text;
  };
  // The form as a query; the field names are the URL parameters.
  Search.prototype.query = function () {
    var f = this.form, data = new FormData(f), selected = {}, num = function (k) {
      var v = data.get(k);
      return v === null || v === '' || isNaN(+v) ? null : +v;
    };
    this.ix.facets.forEach(function (g) { selected[g.name] = data.getAll(g.name); });
    var q = {
      text: data.get('q') || '', selected: selected,
      day: [num('dmin'), num('dmax')], month: [num('mmin'), num('mmax')], cap: [num('cmin'), num('cmax')],
      openAt: null, near: null
    };
    var open = data.get('open');
    if (open === 'now') q.openAt = weekMinute(new Date(), this.ix.tz);
    else if (open === 'at') {
      var tm = /^(\d\d):(\d\d)$/.exec(data.get('otime') || '');
      q.openAt = [+(data.get('oday') || 0), tm ? +tm[1] * 60 + +tm[2] : 0];
    }
    var near = data.get('near'), radius = num('radius'), origin = null;
    if (near === 'me') origin = this.origin;
    else if (near) {
      for (var k = 0; k < this.ix.places.length; k++) {
        var p = this.ix.places[k];
        if (p[0] === near) origin = [p[1] / 1e4, p[2] / 1e4];
      }
    }
    if (origin) q.near = [origin[0], origin[1], radius];
    q.sort = data.get('sort') || '';
    return q;
  };
  // Fetches the term shards the current words need, then answers.
  Search.prototype.apply = function () {
    if (!this.ix) return;
    var self = this, ix = this.ix, base = this.form.getAttribute('data-index').replace(/index\.json.*$/, '');
    var missing = missingShards(ix, this.form.elements.q.value);
    if (missing.length) {
      Promise.all(missing.map(function (k) {
        return self.shardLoads[k] || (self.shardLoads[k] = fetch(base + 't' + k + '.json?v=' + ix.shardHash[k])
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (raw) { addShard(ix, k, raw); }));
      })).then(function () { self.apply(); }, function () { self.say(self.t('failed')); });
      return;
    }
    var q = this.query(), t0 = performance.now();
    var r = run(this.ix, q);
    this.lastMs = performance.now() - t0;
    this.lastQuery = q;
    this.render(q, r);
  };
  Search.prototype.render = function (q, r) {
    var ix = this.ix, self = this, shown = new Uint8Array(ix.n), i;
    for (i = 0; i < r.ids.length; i++) shown[r.ids[i]] = 1;
    // Order: the neutral order, unless words rank some spaces higher or the visitor sorts.
    var order = r.ids.slice(), rank = this.rank, sort = q.sort, key = null;
    var dist = q.near ? function (id) { return distanceKm(q.near[0], q.near[1], ix.lat[id] / 1e4, ix.lon[id] / 1e4); } : null;
    if (sort === 'distance' && dist) key = dist;
    else if (sort === 'price') key = function (id) { return ix.day[id] == null ? Infinity : ix.day[id]; };
    if (sort === 'name') {
      var names = {}, coll = new Intl.Collator(document.documentElement.lang || undefined);
      order.forEach(function (id) {
        var h = self.items[id].querySelector('.card-title');
        names[id] = h ? h.textContent.trim() : '';
      });
      order.sort(function (a, b) { return coll.compare(names[a], names[b]) || rank[a] - rank[b]; });
    } else if (key) {
      var k = {};
      order.forEach(function (id) { k[id] = key(id); });
      order.sort(function (a, b) { return k[a] - k[b] || rank[a] - rank[b]; });
    } else {
      order.sort(function (a, b) { return r.scores[b] - r.scores[a] || rank[a] - rank[b]; });
    }
    // Show and hide only what changed; move items only when the order changed.
    for (i = 0; i < ix.n; i++) {
      var li = this.items[i];
      if (li && (!this.shown || this.shown[i] !== shown[i])) li.hidden = !shown[i];
    }
    this.shown = shown;
    // Move cards only when the visible ones are not already in the wanted order.
    var at = this.at, inOrder = true;
    for (i = 1; inOrder && i < order.length; i++) inOrder = at[order[i - 1]] < at[order[i]];
    if (!inOrder) {
      // Keep the longest run already in order where it is; move only the others.
      var keep = stays(order.map(function (id) { return at[id]; })), next = null;
      for (i = order.length - 1; i >= 0; i--) {
        var node = this.items[order[i]];
        if (!keep[i]) this.list.insertBefore(node, next);
        next = node;
      }
      var kids = this.list.children;
      for (i = 0; i < kids.length; i++) at[kids[i].getAttribute('data-id')] = i;
    }
    // Distances on the cards (and none once no place is chosen).
    if (dist || this.distances) {
      var fmt = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 });
      (dist ? order : Object.keys(this.distances)).forEach(function (id) {
        var li = self.items[id], p = li && li.querySelector('.card-distance');
        if (!li) return;
        if (!dist) { if (p) p.remove(); return; }
        if (!p) { p = document.createElement('p'); p.className = 'card-distance'; li.appendChild(p); }
        p.textContent = self.t('km').replace('{km}', fmt.format(dist(id)));
      });
      if (dist) {
        this.distances = this.distances || {};
        order.forEach(function (id) { self.distances[id] = 1; });
      } else {
        this.distances = null;
      }
    }
    // Counts beside every option.
    ix.facets.forEach(function (f) {
      f.options.forEach(function (o, k) {
        var el = self.form.querySelector('[data-count="' + f.name + ':' + o.id + '"]');
        if (el) el.textContent = String(r.counts[f.name][k]);
      });
    });
    var n = r.ids.length;
    this.say(n === 0 ? this.t('count-zero') : n === 1 ? this.t('count-one') : this.t('count-other', n));
  };
  // Which entries of `xs` form a longest strictly increasing subsequence (they need not move).
  function stays(xs) {
    var tails = [], prev = new Int32Array(xs.length), keep = new Uint8Array(xs.length);
    for (var i = 0; i < xs.length; i++) {
      var lo = 0, hi = tails.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (xs[tails[mid]] < xs[i]) lo = mid + 1; else hi = mid; }
      prev[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
    }
    for (var k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) keep[k] = 1;
    return keep;
  }
  // URL ⇄ form.
  Search.prototype.toUrl = function (push) {
    var params = new URLSearchParams();
    new FormData(this.form).forEach(function (v, k) { if (v !== '') params.append(k, v); });
    if (params.get('open') !== 'at') { params.delete('oday'); params.delete('otime'); }
    var s = params.toString(), url = location.pathname + (s ? '?' + s : '') + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    history[push ? 'pushState' : 'replaceState'](null, '', url);
  };
  Search.prototype.fromUrl = function () {
    var params = new URLSearchParams(location.search), els = this.form.elements, any = false;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name) continue;
      var values = params.getAll(el.name);
      if (values.length) any = true;
      if (el.type === 'checkbox') el.checked = values.indexOf(el.value) >= 0;
      else if (el.tagName === 'SELECT' || el.type !== 'submit') el.value = values.length ? values[0] : (el.tagName === 'SELECT' ? el.options[0].value : '');
    }
    if (params.get('near') === 'me' && !this.origin) this.say(this.t('location-needed'));
    return any;
  };
  Search.prototype.locate = function () {
    var self = this;
    if (!navigator.geolocation) { this.say(this.t('location-denied')); return; }
    this.say(this.t('locating'));
    navigator.geolocation.getCurrentPosition(function (pos) {
      self.origin = [pos.coords.latitude, pos.coords.longitude];
      self.form.elements.near.value = 'me';
      if (!self.form.elements.sort.value) self.form.elements.sort.value = 'distance';
      self.toUrl(true);
      self.load().then(function () { self.apply(); });
    }, function () { self.say(self.t('location-denied')); }, { maximumAge: 300000, timeout: 15000 });
  };
  Search.prototype.start = function () {
    var self = this, form = this.form;
    form.hidden = false;
    var go = function (push) {
      self.toUrl(push);
      self.load().then(function () { self.apply(); });
    };
    form.addEventListener('submit', function (e) { e.preventDefault(); go(true); });
    form.addEventListener('input', function (e) { if (e.target.name === 'q') go(false); });
    form.addEventListener('change', function (e) {
      if (e.target.name === 'q') return;
      if (e.target.name === 'near' && e.target.value === 'me' && !self.origin) { self.locate(); return; }
      go(true);
    });
    form.addEventListener('focusin', function () { self.load(); });
    var me = form.querySelector('[data-near-me]');
    if (me) me.addEventListener('click', function () { self.locate(); });
    var reset = form.querySelector('[data-reset]');
    if (reset) reset.addEventListener('click', function () {
      setTimeout(function () { go(true); }, 0);
    });
    root.addEventListener('popstate', function () {
      self.fromUrl();
      self.load().then(function () { self.apply(); });
    });
    if (this.fromUrl()) this.load();
  };

  var api = {
    normalize: normalize, tokenize: tokenize, withinOneEdit: withinOneEdit,
    prefixWithinOneEdit: prefixWithinOneEdit, decodeIds: decodeIds, prepare: prepare,
    shardOf: shardOf, missingShards: missingShards, addShard: addShard,
    textScores: textScores, run: run, distanceKm: distanceKm, weekMinute: weekMinute
  };
  root.hotdeskSearch = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') {
    var init = function () {
      var form = document.querySelector('form[data-search]');
      if (form && form.closest('section') && root.fetch && root.URLSearchParams) {
        api.page = new Search(form);
        api.page.start();
      }
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
  }
})(typeof window !== 'undefined' ? window : globalThis);
