/* The local answer engine: a port of chat/engine (docs/engine.md) for a SUBSET of its intents
   (INTENTS below; docs/widget.md "Local fallback"), over the same word tables: the projection of
   chat/engine/lexicon.json that widget/bundle.py inlines. Questions it does not support offline
   (one dish's allergens, price or details; cheapest; most expensive) get an honest "only basic
   questions offline" answer with no items. Item sets are BigInt bitsets (bit i = i-th item). */
var L = __LEXICON__;
var split = (s) => (s ? s.split(' ') : []);
var dict = () => Object.create(null); // no prototype: a diner typing "constructor" finds nothing
var INTENTS = split('greeting thanks help search hours address phone unknown');
var ALLERGENS = split(L.allergens), DIETS = split(L.diets), CODES = ALLERGENS.concat(DIETS);
var SKIP = split('stop frame cur allq detq q priceq'), NOT_KEY = SKIP.concat('join');
var CONTENT = split('allergen term unk'), JOIN = split('join or');
var FUZZY_KINDS = split('allergen always diet term pre both cheap dear max min');
var BASIC = {
  en: 'Offline I can only answer basic questions (diets, allergens, dishes, opening hours).',
  sv: 'Offline kan jag bara svara på enkla frågor (specialkost, allergener, rätter, öppettider).',
};
var bit = (i) => 1n << BigInt(i);
var normalize = (s) => s.normalize('NFC').toLowerCase().replace(/['\u2019\u2018\u0060\u00b4]/g, '');
var stem = (w) => (w.length > 3 && /[^s]s$/.test(w) ? w.slice(0, -1) : w);
var isNumber = (w) => /^[0-9]/.test(w);
var label = (loc, code) => L.labels[loc].split('|')[CODES.indexOf(code)];
var labels = (codes, loc) => codes.map((c) => label(loc, c).toLowerCase());
var conflicts = (item, diet) => (item.allergens || []).some((c) => split(L.conflict[diet]).includes(c));
var words = (spec) => split(spec).map((w) => w.split('_').map(stem).join(' '));

// Optimal string alignment (restricted Damerau-Levenshtein) distance, as rapidfuzz's OSA.
var osa = (a, b) => {
  for (var d = [], i = 0, j; i <= a.length; i++)
    for (d[i] = [i], j = 1; j <= b.length; j++) {
      d[i][j] = i ? Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])) : j;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
};

// The words of `list` nearest to `w` within the fuzzy limit (by the shorter length: <4 none,
// <=7 one edit, else two), in list order.
var nearest = (w, list) => {
  var found = [], best = 3;
  list.forEach((c) => {
    var n = Math.min(w.length, c.length), k = n < 4 ? 0 : n < 8 ? 1 : 2, d = k && (c.length - w.length) ** 2 < 9 ? osa(w, c) : 9;
    if (d <= k && d <= best) d < best && ((best = d), (found = [])), found.push(c);
  });
  return found;
};

// Word tables, built as lexicon.py's _build: earlier tables win (allergen, always, diet, kinds in
// file order, synonym groups); "_" joins a two-word phrase.
var UNIGRAMS = dict(), BIGRAMS = dict(), FREE_DIETS = dict(), SYN_GROUPS = dict();
(function () {
  var table = [], codesOf = dict(), k;
  var each = (t, f) => { for (k in t) words(t[k]).forEach((w) => f(w, k)); };
  each(L.allergen, (w, k) => (codesOf[w] = codesOf[w] || []).push(k));
  for (k in codesOf) table.push([k, 'allergen', codesOf[k]]);
  each(L.always, (w, k) => table.push([w, 'always', [k]]));
  each(L.diet, (w, k) => table.push([w, 'diet', k]));
  each(L.kinds, (w, k) => table.push([w, k]));
  L.syn.forEach((g) => (g = words(g)).forEach((w) => table.push([w, 'term', g[0]]), (SYN_GROUPS[g[0]] = g)));
  table.forEach(([w, kind, payload]) => {
    var t = w.includes(' ') ? BIGRAMS : UNIGRAMS;
    t[w] = t[w] || { kind, payload };
  });
  each(L.free, (w, k) => (FREE_DIETS[w] = k));
})();
var FUZZY_WORDS = Object.keys(UNIGRAMS).filter((w) => FUZZY_KINDS.includes(UNIGRAMS[w].kind)), fuzzyCache = dict();

// (surface, stemmed) pairs; "glutenfree"-style compounds split when the head is an allergen word.
var tokenizePairs = (text) => {
  var out = [];
  (normalize(text).match(/[0-9]+(?:[.,][0-9]+)?|[\p{L}\p{Nl}\p{No}]+|,/gu) || []).forEach((tok) => {
    for (var s of ['free', 'fritt', 'fria', 'fri']) {
      var head = tok.slice(0, -s.length), e = UNIGRAMS[stem(head)];
      if (tok.endsWith(s) && head[1] && e && e.kind == 'allergen') return out.push([head, stem(head)], [s, s]);
    }
    out.push([tok, stem(tok)]);
  });
  return out;
};
var tokenize = (text) => tokenizePairs(text).map((p) => p[1]);

// Per-menu precomputation (index.py's build_index).
var buildIndex = (menu) => {
  var items = menu.items, tagged = dict(), add = (table, key, b) => (table[key] = (table[key] || 0n) | b);
  var ix = { r: menu.restaurant || {}, items, avail: 0n, noInfo: 0n, byCode: dict(), byDiet: dict(), vocab: dict(), byGroup: dict(), nameWords: [], fuzzy: dict() };
  items.forEach((item, i) => {
    var b = bit(i), tags = item.tags || [], allergens = item.allergens || [];
    if (item.available !== false) ix.avail |= b;
    if (!allergens.length) ix.noInfo |= b;
    allergens.forEach((c) => add(ix.byCode, c, b));
    tags.forEach((t) => add(tagged, normalize(t), b));
    // Diet tags are matched as diets, never as free text (so "gluten" alone is not "gluten-free").
    var free = tags.filter((t) => !DIETS.includes(t)).map((t) => t.replace(/-/g, ' '));
    tokenize([item.name, item.description, item.category, ...free].join(' ')).forEach((w) => add(ix.vocab, w, b));
    // Name words: what names a dish (cue and frame words never do).
    ix.nameWords.push([...new Set(tokenize(item.name).filter((w) => !UNIGRAMS[w] || !NOT_KEY.includes(UNIGRAMS[w].kind)))]);
  });
  DIETS.forEach((diet) => {
    var mask = (tagged[diet] || 0n) | ((diet == 'vegetarian' && tagged.vegan) || 0n);
    items.forEach((item, i) => conflicts(item, diet) && (mask &= ~bit(i)));
    ix.byDiet[diet] = mask;
  });
  for (var g in SYN_GROUPS) ix.byGroup[g] = SYN_GROUPS[g].reduce((m, w) => m | (ix.vocab[w] || 0n), 0n);
  ix.words = Object.keys(ix.vocab).filter((w) => !isNumber(w));
  return ix;
};

// Menu words matching `w`: itself if present, else all menu words at the smallest fuzzy distance.
var vocabMatches = (ix, w) => (w in ix.vocab ? [w] : (ix.fuzzy[w] = ix.fuzzy[w] || nearest(w, ix.words)));
var token = (raw, word, kind, payload, words) => ({ raw, word, kind, payload, words: words || [] });

var tokens = (ix, message) => {
  var p = tokenizePairs(message), out = [], i, e, w;
  for (i = 0; i < p.length; i++) {
    w = p[i][1];
    if (p[i + 1] && (e = BIGRAMS[w + ' ' + p[i + 1][1]])) out.push(token(p[i][0] + ' ' + p[i + 1][0], w + ' ' + p[++i][1], e.kind, e.payload));
    else if (isNumber(w)) out.push(token(w, w, 'num'));
    else {
      if (!(e = UNIGRAMS[w]) && !(w in ix.vocab)) e = UNIGRAMS[w in fuzzyCache ? fuzzyCache[w] : (fuzzyCache[w] = nearest(w, FUZZY_WORDS)[0])];
      var m = !e || e.kind == 'term' || e.kind == 'allergen' ? vocabMatches(ix, w) : [];
      out.push(e ? token(p[i][0], w, e.kind, e.payload, m) : token(p[i][0], w, m.length ? 'term' : 'unk', null, m));
    }
  }
  return out;
};

// parse.py's parse: diets, excluded allergens (scoped by "without"/"free"/"allergic"), terms, prices.
var parse = (ix, message) => {
  var toks = tokens(ix, message), consumed = new Set(), diets = new Set(), excluded = new Set(), asked = new Set(), scope = null;
  var q = { toks, terms: [], neg: [], unknown: [], max: null, min: null, sort: null, kinds: new Set(toks.map((t) => t.kind)), tooLong: toks.length > 80 };
  // The first number at or after `j`, skipping stop and currency words: [value, index].
  var number = (j, k = j) => {
    while (toks[j] && ['stop', 'cur'].includes(toks[j].kind)) j++;
    return toks[j] && toks[j].kind == 'num' ? [+toks[j].word.replace(',', '.'), j] : [null, k];
  };
  var exclude = (i, t = toks[i]) => {
    consumed.add(i);
    if (t.kind == 'allergen' || t.kind == 'always') t.payload.forEach((c) => excluded.add(c));
    else if (t.kind == 'term' || t.kind == 'unk') q.neg.push(t);
  };
  // "nut and egg free" / "shellfish allergy": apply to the words before the trigger.
  var applyBack = (i, free) => {
    for (var applied = false, want = true, j = i - 1; j >= 0; j--) {
      var t = toks[j];
      if (SKIP.includes(t.kind)) continue;
      // "free" also applies to plain words ("sugar free"); "allergic" only to allergen words.
      if (want && !consumed.has(j) && (free ? CONTENT : ['allergen']).includes(t.kind)) {
        if (free && t.kind == 'allergen' && FREE_DIETS[t.word]) diets.add(FREE_DIETS[t.word]), consumed.add(j);
        else exclude(j);
        applied = true;
        want = false;
      } else if (!want && JOIN.includes(t.kind)) want = true;
      else break;
    }
    return applied;
  };
  if (q.tooLong) return q;
  toks.forEach((t, i) => {
    var k = t.kind, open = scope == 'open' || scope == 'joined';
    if (SKIP.includes(k)) return;
    if (k == 'always') return exclude(i);
    if (k == 'post' || k == 'both') scope = !applyBack(i, k == 'post') && k == 'both' ? 'open' : null;
    else if (k == 'pre') scope = 'open';
    else if (JOIN.includes(k)) scope = scope == 'after' ? 'joined' : scope;
    else if (CONTENT.includes(k)) scope = open ? (exclude(i), 'after') : null;
    else {
      if (k == 'diet' && open) consumed.add(i); // "not vegan": drop the diet rather than guess
      scope = null;
    }
  });
  // Positive words: groups are ANDed, words inside a group ("pizza or pasta") are ORed.
  var orPending = false, positive = (j) => !consumed.has(j) && ['allergen', 'term'].includes(toks[j].kind);
  toks.forEach((t, i) => {
    var k = t.kind, terms = q.terms, j;
    if (k == 'allergen') t.payload.forEach((c) => asked.add(c));
    if (!SKIP.includes(k) && k != 'or' && !positive(i)) orPending = false;
    if (consumed.has(i)) return;
    if (k == 'diet') diets.add(t.payload);
    else if (positive(i)) orPending && terms.length ? terms[terms.length - 1].push(t) : terms.push([t]), (orPending = false);
    else if (k == 'or') {
      for (j = i - 1; j >= 0 && SKIP.includes(toks[j].kind); j--);
      if (terms.length && j >= 0 && positive(j)) orPending = true;
    } else if (k == 'unk') q.unknown.push(t);
    else if ((k == 'cheap' || k == 'dear') && !q.sort) q.sort = k;
    else if (k == 'max' || k == 'min') (j = number(i + 1)[0]) != null && (q[k] = j);
    else if (k == 'between') {
      var [low, at] = number(i + 1), high = toks[at + 1] && toks[at + 1].kind == 'join' && number(at + 2)[0];
      if (low != null && typeof high == 'number') (q.min = Math.min(low, high)), (q.max = Math.max(low, high));
    }
  });
  q.diets = DIETS.filter((d) => diets.has(d));
  q.excluded = ALLERGENS.filter((c) => excluded.has(c));
  q.asked = ALLERGENS.filter((c) => asked.has(c) || excluded.has(c));
  return q;
};
var hasFilters = (q) => !!(q.diets.length || q.excluded.length || q.terms.length || q.neg.length || q.max != null || q.min != null);

// match.py: bitsets, term masks, selection, dish references.
var bits = (mask) => {
  for (var out = [], i = 0; mask; mask >>= 1n, i++) if (mask & 1n) out.push(i);
  return out;
};

var termMask = (ix, t) => {
  var mask = t.words.reduce((m, w) => m | (ix.vocab[w] || 0n), 0n);
  // A positive allergen word ("with peanuts") matches menu text, else the items containing it.
  if (t.kind == 'allergen') !mask && t.payload.forEach((c) => (mask |= ix.byCode[c] || 0n));
  else if (t.payload != null) mask |= ix.byGroup[t.payload] || 0n;
  return mask;
};

// Apply every constraint; unavailable items never survive; [mask, hidden-for-lack-of-data].
var select = (ix, q) => {
  var mask = ix.avail, hidden = 0;
  q.diets.forEach((d) => (mask &= ix.byDiet[d] || 0n));
  q.excluded.forEach((c) => (mask &= ~(ix.byCode[c] || 0n)));
  q.terms.forEach((group) => (mask &= group.reduce((m, t) => m | termMask(ix, t), 0n)));
  q.neg.forEach((t) => (mask &= ~termMask(ix, t)));
  bits(mask).forEach((i) => {
    var p = +ix.items[i].price;
    if ((q.max != null && p > q.max) || (q.min != null && p < q.min)) mask &= ~bit(i);
  });
  if (q.excluded.length) {
    // An empty allergen list means "not listed", so it cannot vouch for "without X".
    hidden = bits(mask & ix.noInfo).length;
    mask &= ~ix.noInfo;
  }
  return [mask, hidden];
};

// Dishes named in the message (match.py's dish_refs): the items with the best (key words, name
// words) score, where key words are name words that are not lexicon words, so "pizza" alone names
// no dish and "Kids Pasta" is found by search, never singled out; [items, onlyNames].
var dishRefs = (ix, q) => {
  var ws = new Set(q.toks.flatMap((t) => (SKIP.includes(t.kind) || t.kind == 'num' ? [] : t.words[0] ? t.words : t.word in ix.vocab ? [t.word] : [])));
  var scores = ix.nameWords.map((n, hit) => (hit = n.filter((w) => ws.has(w))).filter((w) => !UNIGRAMS[w]).length * 1e4 + hit.length);
  var best = Math.max(1e4, ...scores), items = scores.flatMap((s, i) => (s == best ? [i] : [])), names = new Set(items.flatMap((i) => ix.nameWords[i]));
  // "Only names" ignores stop words but not cue/frame words: "do you have X" is a search.
  return [items, q.toks.every((t) => ['stop', 'join', 'or'].includes(t.kind) || (t.words[0] ? t.words : [t.word]).some((w) => names.has(w)))];
};

// replies.py: templates from the lexicon, money, item lines.
var tpl = (loc, key, values) => L.t[loc][key].replace(/\{(\w+)\}/g, (_, n) => values[n]);
var suggestions = (loc) => L.t[loc].sug.split('|');
var money = (amount, currency, loc) => {
  var text = amount.toFixed(amount % 1 ? 2 : 0), cur = (currency || 'EUR').toUpperCase();
  return (L.money[cur] || '# ' + cur).replace('#', loc == 'sv' ? text.replace('.', ',') : text);
};
var joinWords = (w, loc, conj = 'and') => (w[1] ? w.slice(0, -1).join(', ') + ' ' + tpl(loc, conj) + ' ' + w[w.length - 1] : w.join(''));
// Diets an item may be called by: explicit tags (vegan implies vegetarian), minus contradicted ones.
var itemDiets = (item, tags = item.tags || []) => DIETS.filter((d) => (tags.includes(d) || (d == 'vegetarian' && tags.includes('vegan'))) && !conflicts(item, d));
var itemAllergens = (item) => ALLERGENS.filter((c) => (item.allergens || []).includes(c));

var describe = (q, cur, loc) => {
  var parts = labels(q.diets, loc).concat(q.terms.map((g) => joinWords(g.map((t) => t.raw), loc, 'or'))), x = labels(q.excluded, loc).concat(q.neg.map((t) => t.raw));
  if (q.min != null) parts.push(tpl(loc, 'min', { p: money(q.min, cur, loc) }));
  if (q.max != null) parts.push(tpl(loc, 'max', { p: money(q.max, cur, loc) }));
  if (x.length) parts.push(tpl(loc, 'without', { x: joinWords(x, loc) }));
  return parts.join(' ');
};

// intents.py: choose the intent and build the answer {reply, items, intent, suggestions, answered}.
var unknown = (loc, reply = tpl(loc, 'unknown')) => ({ reply, items: [], intent: 'unknown', suggestions: suggestions(loc), answered: false });
var done = (ix, lines, ids, intent, loc, remind, suggest) => ({
  reply: lines.concat(remind ? tpl(loc, 'remind') : []).join('\n'),
  items: ids.map((i) => ix.items[i]), intent, suggestions: suggest ? suggestions(loc) : [], answered: true,
});
// At most six item lines, then "…and N more".
var listed = (loc, lines, ids, line) => lines.concat(ids.slice(0, 6).flatMap(line), ids[6] == null ? [] : tpl(loc, 'more', { n: ids.length - 6 }));

var respond = (ix, message, loc) => {
  var q = parse(ix, message), has = (k) => q.kinds.has(k), t, v;
  if (q.tooLong || !q.toks.length) return unknown(loc);
  var [items, onlyNames] = dishRefs(ix, q);
  if (items.length) {
    // One dish's allergens, price or details: not answered offline.
    if (has('allq') || has('priceq') || has('detq') || has('q') || ((q.asked.length || q.diets.length) && split('pre post both').some(has)) || (onlyNames && !items[1])) return unknown(loc, BASIC[loc]);
  }
  if (q.sort) return unknown(loc, BASIC[loc]); // cheapest / most expensive: not offline
  if (!(q.diets.length || q.excluded.length || q.max != null || q.min != null))
    for (t of q.toks) if (/^(hours|address|phone)$/.test(t.kind)) return done(ix, [(v = (ix.r[t.kind == 'hours' ? 'openingHours' : t.kind] || '').trim()) ? tpl(loc, t.kind, { v }) : tpl(loc, 'nofact')], [], t.kind, loc);
  if (hasFilters(q) || has('frame')) return search(ix, q, loc);
  for (t of ['thanks', 'help', 'greet']) if (has(t)) return done(ix, [tpl(loc, t)], [], t == 'greet' ? 'greeting' : t, loc, 0, 1);
  if ((has('priceq') || has('allq') || has('detq')) && !q.unknown.length) return done(ix, [tpl(loc, 'help')], [], 'help', loc, 0, 1);
  return unknown(loc);
};

var search = (ix, q, loc) => {
  var cur = ix.r.currency, phrase = describe(q, cur, loc);
  if (!hasFilters(q) && q.unknown.length) return done(ix, [tpl(loc, 'none', { q: q.unknown.map((t) => t.raw).join(' ') })], [], 'search', loc, 0, 1);
  var [mask, hidden] = select(ix, q), ids = bits(mask), item;
  var first = !ids.length ? tpl(loc, 'none', { q: phrase || tpl(loc, 'all').replace(/:+$/, '') }) : phrase ? tpl(loc, 'found', { q: phrase }) : tpl(loc, 'all');
  var lines = listed(loc, [first], ids, (i) => '- ' + (item = ix.items[i]).name + ' (' + money(+item.price, cur, loc) + ')');
  if (hidden) lines.push(tpl(loc, 'hidden', { n: hidden }));
  return done(ix, lines, ids, 'search', loc, q.excluded.length || q.diets.length || q.asked.length, !ids.length);
};

var localeOf = (locale) => (/^sv([-_]|$)/i.test(locale || '') ? 'sv' : 'en');
var indexes = new WeakMap();

// answer(menu, message, locale): menu is the menu API's JSON ({restaurant, items}). Never throws:
// an internal error answers "unknown" with no items, which is always safe.
var answer = (menu, message, locale) => {
  var loc = localeOf(locale);
  try {
    indexes.has(menu) || indexes.set(menu, buildIndex(menu));
    return respond(indexes.get(menu), typeof message == 'string' ? message : '', loc);
  } catch (e) {
    return unknown(loc);
  }
};
