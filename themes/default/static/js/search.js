/* hotdesk search: searches and filters the directory in the browser. While a query or a
 * filter is active it shows its own list of results (built from the index, 50 at a time)
 * in place of the page's server-rendered list and pagination, which come back unchanged
 * when the query is cleared.
 * Index format and query semantics: src/search/mod.rs and src/search/query.rs (the
 * reference implementation this file is tested against in tests/it/search.rs).
 * No dependency, no request but /search/ (core and cards on first use, term shards as
 * words are typed). */
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
  // Whole numbers in base-32 digits, least significant first (encode::numbers).
  function decodeNumbers(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT[s.charAt(i)];
      v += (x & 31) * Math.pow(2, shift);
      if (x >= 32) { shift += 5; continue; }
      out.push(v);
      v = 0; shift = 0;
    }
    return out;
  }
  // 0 means none (null or -1); anything else is the value + 1.
  function unshift(s, none) { return decodeNumbers(s).map(function (v) { return v === 0 ? none : v - 1; }); }
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
  var SHARDS = 39;
  function prepare(raw) {
    var n = raw.n, words = (n + 31) >>> 5;
    var place = unshift(raw.place, -1);
    // From the locality's centre, or from the previous space's value; zig-zagged.
    var coordinates = function (s, k) {
      var prev = 0;
      return decodeNumbers(s).map(function (z, i) {
        var base = place[i] >= 0 ? raw.places[place[i]][k] : prev;
        return (prev = base + (z % 2 ? -(z + 1) / 2 : z / 2));
      });
    };
    var prices = function (x) { return typeof x === 'string' ? unshift(x, null) : x; };
    var listedIds = decodeIds(raw.listed, n);
    var ix = {
      n: n, words: words, tz: raw.tz, listed: bitsOf(listedIds, words), listedIds: listedIds, facets: [],
      day: prices(raw.day), month: prices(raw.month), cap: unshift(raw.cap, null), place: place,
      lat: coordinates(raw.lat, 1), lon: coordinates(raw.lon, 2),
      places: raw.places, hours: raw.hours, h: unshift(raw.h, -1), shardHash: {}, shards: {}
    };
    ix.cur = raw.cur;
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

  // ---------------------------------------------------------------- cards.json (src/search/mod.rs)
  // A name as a slug would spell it (src/search/mod.rs `slug_stem`): ASCII letters
  // lowercased, digits kept, every other run one '-', none at either end.
  function slugStem(name) {
    var out = '', gap = false;
    for (var i = 0; i < name.length; i++) {
      var c = name.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (gap && out) out += '-';
        gap = false;
        out += String.fromCharCode(c);
      } else gap = true;
    }
    return out;
  }
  function fullSlug(name, s) { return s === '' || s.charAt(0) === '-' ? slugStem(name) + s : s; }
  function idWidth(n) { var w = 1; while (w < 10 && Math.pow(64, w) < n) w++; return w; }
  // The build's neutral order: with a seed, the listed spaces by slug (ASCII, so code
  // unit order is byte order) shuffled by neutral.js exactly as src/neutral.rs does;
  // else written out. Without neutral.js the slug order stands in.
  function addCards(ix, raw) {
    var w = idWidth(ix.n), order = [], day = {}, slugs, nt = root.hotdeskNeutral;
    ix.cards = { name: raw.name, slug: raw.slug, place: ix.place, regions: raw.regions, langs: raw.langs, day: day };
    if (raw.seed != null) {
      slugs = [];
      ix.listedIds.forEach(function (id) { slugs[id] = slugOf(ix, id); });
      order = ix.listedIds.slice();
      order.sort(function (a, b) { return slugs[a] < slugs[b] ? -1 : slugs[a] > slugs[b] ? 1 : 0; });
      if (nt) nt.shuffle(order, raw.seed >>> 0);
    } else {
      for (var i = 0; i + w <= raw.order.length; i += w) {
        var id = 0;
        for (var k = w - 1; k >= 0; k--) id = id * 64 + DIGIT[raw.order.charAt(i + k)];
        order.push(id);
      }
    }
    ix.cards.order = order;
    decodeIds(raw.day[0], ix.n).forEach(function (id, k) { day[id] = [raw.day[1][k], raw.day[3][raw.day[2][k]]]; });
  }
  // neutral.js comes after this script in the page (both deferred), and every deferred
  // script has run by DOMContentLoaded; the cards' order needs it.
  function neutralReady() {
    if (root.hotdeskNeutral || typeof document === 'undefined' || document.readyState === 'complete') return Promise.resolve();
    return new Promise(function (resolve) {
      document.addEventListener('DOMContentLoaded', resolve);
      root.addEventListener('load', resolve);
    });
  }
  function slugOf(ix, id) { return fullSlug(ix.cards.name[id], ix.cards.slug[id]); }
  function has(bits, id) { return (bits[id >>> 5] & (1 << (id & 31))) !== 0; }

  // ---------------------------------------------------------------- the page
  var PAGE = 50; // results per "Show more"; a theme may set data-page-size on the form
  var SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function Search(form) {
    this.form = form;
    this.section = form.closest('section');
    this.list = this.section.querySelector('ul[data-neutral-list]');
    this.status = form.querySelector('[data-search-status]');
    this.lang = document.documentElement.lang || undefined;
    this.ix = null;
    this.loading = null;
    this.origin = null; // [lat, lon] chosen by "near me"
    this.results = null; // the results list, made on first use
    this.order = null; // ids of the current results, in display order
    this.shownCount = 0;
    this.lastQuery = null;
    this.shardLoads = {};
    this.money = {};
  }
  Search.prototype.t = function (key, count) {
    var s = this.form.getAttribute('data-t-' + key) || '';
    return count == null ? s : s.replace('{count}', String(count));
  };
  // The site's root path: where search/index.json sits, less `search/index.json`.
  Search.prototype.root = function () {
    return this.form.getAttribute('data-index').replace(/search\/index\.json(\?.*)?$/, '');
  };
  Search.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.say(this.t('loading'));
      var url = this.form.getAttribute('data-index'), q = url.indexOf('?');
      // The core names the cards' hash, so the core's version also versions them.
      var cardsUrl = url.replace(/index\.json(\?.*)?$/, 'cards.json') + (q >= 0 ? url.slice(q) : '');
      var get = function (u) {
        return fetch(u).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
      };
      this.loading = Promise.all([get(url), get(cardsUrl), neutralReady()])
        .then(function (raws) {
          var ix = prepare(raws[0]);
          addCards(ix, raws[1]);
          self.ix = ix;
          self.neutralRanks();
          self.countEls = [];
          ix.facets.forEach(function (f) {
            self.countEls.push(f.options.map(function (o) {
              return self.form.querySelector('[data-count="' + f.name + ':' + o.id + '"]');
            }));
          });
          self.apply();
        }, function () { self.say(self.t('failed')); });
    }
    return this.loading;
  };
  // The neutral order of this visit: the build's order, reshuffled with the seed the
  // page's list got from neutral.js (so it matches the list when the list holds every
  // space), for the whole directory even when the page shows one page of it.
  Search.prototype.neutralRanks = function () {
    var ix = this.ix, order = ix.cards.order.slice();
    var seed = this.list && this.list.getAttribute('data-neutral-seed');
    if (seed !== null && seed !== undefined && root.hotdeskNeutral) root.hotdeskNeutral.shuffle(order, +seed >>> 0);
    var rank = new Int32Array(ix.n).fill(ix.n);
    for (var k = 0; k < order.length; k++) rank[order[k]] = k;
    this.rank = rank;
    this.neutral = order;
    this.nameRank = null;
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
  // Does the query ask for anything? If not, the page's own list stands.
  function isActive(q) {
    if (q.text.trim() || q.sort || q.openAt || q.near) return true;
    for (var name in q.selected) if (q.selected[name].length) return true;
    return [q.day, q.month, q.cap].some(function (r) { return r[0] != null || r[1] != null; });
  }
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
  // Display order: the neutral order, unless words rank some spaces higher or the
  // visitor sorts.
  Search.prototype.sorted = function (q, r) {
    var ix = this.ix, order = r.ids.slice(), rank = this.rank, sort = q.sort, key = null, i;
    if (sort !== 'name' && sort !== 'price' && !(sort === 'distance' && q.near)) {
      // Relevance buckets, each in the neutral order: one pass, no sort.
      var buckets = [], s = r.scores, neutral = this.neutral, out = [];
      for (i = 0; i < neutral.length; i++) {
        var id = neutral[i];
        if (has(r.bits, id)) (buckets[s[id]] || (buckets[s[id]] = [])).push(id);
      }
      for (i = buckets.length - 1; i >= 0; i--) if (buckets[i]) out = out.concat(buckets[i]);
      return out;
    }
    if (sort === 'distance' && q.near) {
      key = new Float64Array(ix.n);
      for (i = 0; i < order.length; i++) {
        key[order[i]] = distanceKm(q.near[0], q.near[1], ix.lat[order[i]] / 1e4, ix.lon[order[i]] / 1e4);
      }
    } else if (sort === 'price') {
      key = new Float64Array(ix.n);
      for (i = 0; i < order.length; i++) key[order[i]] = ix.day[order[i]] == null ? Infinity : ix.day[order[i]];
    } else if (sort === 'name') {
      key = this.namesRanked();
    }
    order.sort(function (a, b) { return key[a] - key[b] || rank[a] - rank[b]; });
    return order;
  };
  // Every listed space's place in name order (collated in the page's language), once.
  Search.prototype.namesRanked = function () {
    if (!this.nameRank) {
      var names = this.ix.cards.name, coll = new Intl.Collator(this.lang), ids = [];
      for (var i = 0; i < this.ix.n; i++) if (has(this.ix.listed, i)) ids.push(i);
      ids.sort(function (a, b) { return coll.compare(names[a], names[b]); });
      this.nameRank = new Float64Array(this.ix.n);
      for (var k = 0; k < ids.length; k++) this.nameRank[ids[k]] = k;
    }
    return this.nameRank;
  };
  Search.prototype.render = function (q, r) {
    var self = this, ix = this.ix;
    // Counts beside every option.
    ix.facets.forEach(function (f, g) {
      f.options.forEach(function (o, k) {
        var e = self.countEls[g][k], c = String(r.counts[f.name][k]);
        if (e && e.textContent !== c) e.textContent = c;
      });
    });
    var n = r.ids.length;
    this.say(n === 0 ? this.t('count-zero') : n === 1 ? this.t('count-one') : this.t('count-other', n));
    if (!isActive(q)) {
      this.showServerList(true);
      this.order = null;
      return;
    }
    this.order = this.sorted(q, r);
    this.near = q.near;
    this.ensureResults();
    this.showServerList(false);
    this.results.textContent = '';
    this.shownCount = 0;
    this.more(false);
  };
  // The page's list and its pagination, or the results in their place.
  Search.prototype.showServerList = function (show) {
    var els = [this.list].concat(Array.prototype.slice.call(this.section.querySelectorAll('nav.pagination, p.none')));
    els.forEach(function (e) { if (e && e.hidden === show) e.hidden = !show; });
    if (this.results) {
      this.results.hidden = show;
      this.moreBox.hidden = show || !this.order || this.shownCount >= this.order.length;
    }
  };
  Search.prototype.ensureResults = function () {
    if (this.results) return;
    var self = this, anchor = this.list || this.section.querySelector('p.none');
    this.results = el('ul', 'cards search-results');
    this.results.setAttribute('aria-label', this.t('results'));
    this.moreBox = el('p', 'search-more');
    this.moreButton = el('button', null, this.t('more'));
    this.moreButton.type = 'button';
    this.moreBox.appendChild(this.moreButton);
    this.moreButton.addEventListener('click', function () { self.more(true); });
    var parent = anchor ? anchor.parentNode : this.form.parentNode, before = anchor || this.form.nextSibling;
    parent.insertBefore(this.results, before);
    parent.insertBefore(this.moreBox, before);
  };
  // Appends the next PAGE results; `asked` when the visitor pressed "Show more".
  Search.prototype.more = function (asked) {
    var size = +this.form.getAttribute('data-page-size') || PAGE;
    var order = this.order, from = this.shownCount, to = Math.min(order.length, from + size);
    var frag = document.createDocumentFragment(), first = null;
    for (var i = from; i < to; i++) {
      var li = this.card(order[i]);
      if (!first) first = li;
      frag.appendChild(li);
    }
    this.results.appendChild(frag);
    this.shownCount = to;
    this.moreBox.hidden = to >= order.length;
    if (asked) {
      // Keyboard and screen-reader users continue at the first new result.
      var link = first && first.querySelector('a');
      if (link) link.focus();
      this.say(this.t('showing').replace('{shown}', String(to)).replace('{count}', String(order.length)));
    }
  };
  Search.prototype.formatMoney = function (price, cur) {
    var whole = price % 1 === 0, key = cur + (whole ? ':0' : ':2'), f = this.money[key];
    if (f === undefined) {
      try {
        f = new Intl.NumberFormat(this.lang, { style: 'currency', currency: cur, minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
      } catch (e) { f = null; }
      this.money[key] = f;
    }
    return f ? f.format(price) : price + ' ' + cur;
  };
  // One result, built the same way for every space, with card.html's markup.
  Search.prototype.card = function (id) {
    var ix = this.ix, c = ix.cards, self = this;
    var li = el('li', 'card-item'), article = el('article', 'card'), h = el('h3', 'card-title'), a = el('a', null, c.name[id]);
    li.setAttribute('data-id', String(id));
    var slug = slugOf(ix, id);
    // Links start at the site's root path, which the index sits under (`/directory/` for
    // a site published under a path, `/` otherwise).
    if (SLUG_RE.test(slug)) a.setAttribute('href', this.root() + 'spaces/' + slug + '/');
    h.appendChild(a);
    article.appendChild(h);
    var place = ix.places[c.place[id]], regionName = '', langs = [], amenities = 0, status = null;
    ix.facets.forEach(function (f) {
      f.options.forEach(function (o, k) {
        if (!has(o.bits, id)) return;
        if (f.name === 'region') regionName = c.regions[k];
        else if (f.name === 'lang') langs.push(c.langs[k]);
        else if (f.name === 'amenity') amenities++;
        else if (f.name === 'status' && /^[a-z-]+$/.test(o.id)) status = o.id;
      });
    });
    article.appendChild(el('p', 'card-place', (place ? place[0] : '') + ', ' + regionName));
    if (status) {
      var ps = el('p', 'card-status');
      ps.appendChild(el('span', 'status status-' + status, this.t('status-' + status)));
      article.appendChild(ps);
    }
    var none = this.t('not-given'), day = c.day[id] || (ix.day[id] != null ? [ix.day[id], ix.cur] : null);
    var facts = [
      ['capacity', ix.cap[id] == null ? none : ix.cap[id] + ' ' + this.t('people')],
      ['day-pass', day ? this.formatMoney(day[0], day[1]) + ' ' + this.t('day-suffix') : none],
      ['languages', langs.length ? langs.join(', ') : none],
      ['amenities', String(amenities)]
    ];
    var dl = el('dl', 'card-facts');
    facts.forEach(function (f) {
      var div = el('div');
      div.appendChild(el('dt', null, self.t(f[0])));
      div.appendChild(el('dd', null, f[1]));
      dl.appendChild(div);
    });
    article.appendChild(dl);
    li.appendChild(article);
    if (this.near) {
      var km = distanceKm(this.near[0], this.near[1], ix.lat[id] / 1e4, ix.lon[id] / 1e4);
      this.kmFormat = this.kmFormat || new Intl.NumberFormat(this.lang, { maximumFractionDigits: 1 });
      li.appendChild(el('p', 'card-distance', this.t('km').replace('{km}', this.kmFormat.format(km))));
    }
    return li;
  };
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
    slugStem: slugStem, fullSlug: fullSlug, addCards: addCards, slugOf: slugOf, decodeNumbers: decodeNumbers,
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
