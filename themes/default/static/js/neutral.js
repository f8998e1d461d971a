/* hotdesk neutral ordering, spec in src/neutral.rs (hotdesk-neutral-1):
 * FNV-1a seed, splitmix32 -> sfc32, rejection-bounded ints, Fisher-Yates.
 * Each [data-neutral-list] is reshuffled per visit with a random seed (kept
 * in data-neutral-seed) unless data-neutral-policy is rotate-daily or
 * alphabetical. */
(function (root) {
  'use strict';
  function seedFromStr(s) {
    var b = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
    return h >>> 0;
  }
  function sfc32(seed) {
    var s = seed >>> 0;
    function mix() {
      s = (s + 0x9e3779b9) | 0;
      var z = Math.imul(s ^ (s >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    }
    var a = mix(), b = mix(), c = mix(), d = 1;
    function next() {
      var t = (a + b + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      return t >>> 0;
    }
    for (var i = 0; i < 12; i++) next();
    return next;
  }
  function bounded(next, n) {
    if (!(n >= 1 && n <= 0xffffffff && n % 1 === 0)) throw new RangeError('bounded: n');
    var min = (0x100000000 - n) % n, r;
    do r = next(); while (r < min);
    return r % n;
  }
  function shuffle(items, seed) {
    var next = sfc32(seed);
    for (var i = items.length - 1; i > 0; i--) {
      var j = bounded(next, i + 1), t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
  function permutation(n, seed) {
    var p = [];
    for (var i = 0; i < n; i++) p.push(i);
    return shuffle(p, seed);
  }
  function reorder(list, seed) {
    var kids = Array.prototype.slice.call(list.children);
    shuffle(kids, seed);
    for (var i = 0; i < kids.length; i++) list.appendChild(kids[i]);
    list.setAttribute('data-neutral-seed', String(seed >>> 0));
  }
  function randomSeed() {
    var c = root.crypto;
    if (!c || !c.getRandomValues) return null;
    return c.getRandomValues(new Uint32Array(1))[0];
  }
  function init(doc) {
    var lists = doc.querySelectorAll('[data-neutral-list]');
    for (var i = 0; i < lists.length; i++) {
      var p = lists[i].getAttribute('data-neutral-policy');
      if (p === 'rotate-daily' || p === 'alphabetical') continue;
      var seed = randomSeed();
      // Without a secure random source keep the (already neutral) build order.
      if (seed !== null) reorder(lists[i], seed);
    }
  }
  var api = {
    seedFromStr: seedFromStr, sfc32: sfc32, bounded: bounded, shuffle: shuffle,
    permutation: permutation, reorder: reorder, init: init
  };
  root.hotdeskNeutral = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { init(document); });
    } else {
      init(document);
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
