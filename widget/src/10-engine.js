/* The local answer engine: a port of chat/engine (docs/engine.md) over the SAME word tables,
   chat/engine/lexicon.json, inlined by widget/bundle.py. Item sets are BigInt bitsets (bit i =
   i-th item in menu order), as in the Python engine. Function names follow the Python ones. */
var L = __LEXICON__;
var dict = () => Object.create(null); // no prototype: a diner typing "constructor" finds nothing
var split = (s) => (s ? s.split(' ') : []);
var ALLERGENS = split(L.allergens), DIETS = split(L.diets), CODES = ALLERGENS.concat(DIETS);
var SKIP = split('stop frame cur allq detq q priceq'), NOT_KEY = SKIP.concat('join');
var CONTENT = ['allergen', 'term', 'unk'], JOIN = ['join', 'or'], FREE_SUFFIXES = ['free', 'fritt', 'fria', 'fri'];
var MAX_LISTED = 6, MAX_TOKENS = 80, FACTS = { hours: 'openingHours', address: 'address', phone: 'phone' };
var bit = (i) => 1n << BigInt(i);

var normalize = (s) => s.normalize('NFC').toLowerCase().replace(/['\u2019\u2018\u0060\u00b4]/g, '');
var stem = (w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
var isNumber = (w) => /^[0-9]/.test(w);
var fuzzyLimit = (a, b) => { var n = Math.min(a.length, b.length); return n < 4 ? 0 : n <= 7 ? 1 : 2; };
var label = (loc, code) => L.labels[loc].split('|')[CODES.indexOf(code)];
var lowerLabels = (codes, loc) => codes.map((c) => label(loc, c).toLowerCase());
var conflicts = (item, diet) => (item.allergens || []).some((c) => split(L.conflict[diet]).includes(c));

// Optimal string alignment (restricted Damerau-Levenshtein) distance, as rapidfuzz's OSA.
function osa(a, b) {
  var d = [], i, j;
  for (i = 0; i <= a.length; i++) {
    d[i] = [i];
    for (j = 1; j <= b.length; j++) {
      d[i][j] = i ? Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])) : j;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// Word tables, built as lexicon.py's _build: earlier tables win (allergen, always, diet, kinds in
// file order, synonym groups); "_" joins a two-word phrase.
var UNIGRAMS = dict(), BIGRAMS = dict(), FREE_DIETS = dict(), SYN_GROUPS = dict();
(function () {
  var words = (spec) => split(spec).map((w) => w.split('_').map(stem).join(' '));
  var table = [], codesOf = dict(), k, w;
  for (k in L.allergen) words(L.allergen[k]).forEach((w) => (codesOf[w] = codesOf[w] || []).push(k));
  for (w in codesOf) table.push([w, 'allergen', codesOf[w]]);
  for (k in L.always) words(L.always[k]).forEach((w) => table.push([w, 'always', [k]]));
  for (k in L.diet) words(L.diet[k]).forEach((w) => table.push([w, 'diet', k]));
  for (k in L.kinds) words(L.kinds[k]).forEach((w) => table.push([w, k]));
  L.syn.forEach((g) => { var ws = words(g); ws.forEach((w) => table.push([w, 'term', ws[0]])); });
  table.forEach((e) => { var t = e[0].includes(' ') ? BIGRAMS : UNIGRAMS; t[e[0]] = t[e[0]] || { kind: e[1], payload: e[2] }; });
  for (k in L.free) words(L.free[k]).forEach((w) => (FREE_DIETS[w] = k));
  L.syn.forEach((g) => (SYN_GROUPS[words(g)[0]] = words(g)));
})();
var FUZZY_WORDS = Object.keys(UNIGRAMS).filter((w) => w.length >= 4), fuzzyCache = dict();

// The lexicon word closest to `w` within the fuzzy limit (earliest on ties), or null.
function fuzzyLookup(w) {
  if (w.length < 4) return null;
  if (!(w in fuzzyCache)) {
    var best = null, bestD = 3;
    FUZZY_WORDS.forEach((c) => {
      var d = Math.abs(c.length - w.length) <= 2 && osa(w, c);
      if (d !== false && d <= fuzzyLimit(w, c) && d < bestD) (best = c), (bestD = d);
    });
    fuzzyCache[w] = best;
  }
  return fuzzyCache[w];
}

// (surface, stemmed) pairs; "glutenfree"-style compounds split when the head is an allergen word.
function tokenizePairs(text) {
  var out = [];
  (normalize(text).match(/[0-9]+(?:[.,][0-9]+)?|[\p{L}\p{Nl}\p{No}]+|,/gu) || []).forEach((tok) => {
    if (isNumber(tok)) return out.push([tok, tok]);
    for (var s of FREE_SUFFIXES) {
      var head = tok.slice(0, -s.length), e = UNIGRAMS[stem(head)];
      if (tok.endsWith(s) && head.length >= 2 && e && e.kind == 'allergen') return out.push([head, stem(head)], [s, s]);
    }
    out.push([tok, stem(tok)]);
  });
  return out;
}
var tokenize = (text) => tokenizePairs(text).map((p) => p[1]);

// Per-menu precomputation (index.py's build_index).
function buildIndex(menu) {
  var items = menu.items, tagged = dict();
  var ix = { restaurant: menu.restaurant || {}, items: items, available: 0n, noInfo: 0n, byCode: dict(), byDiet: dict(), vocab: dict(), byGroup: dict(), names: dict(), keyWords: [], nameWords: [], byLen: dict(), fuzzy: dict() };
  var add = (table, key, b) => (table[key] = (table[key] || 0n) | b);
  items.forEach((item, i) => {
    var b = bit(i), tags = item.tags || [], allergens = item.allergens || [];
    if (item.available !== false) ix.available |= b;
    if (!allergens.length) ix.noInfo |= b;
    allergens.forEach((c) => add(ix.byCode, c, b));
    tags.forEach((t) => add(tagged, normalize(t), b));
    // Diet tags are matched as diets, never as free text (so "gluten" alone is not "gluten-free").
    var free = tags.filter((t) => !DIETS.includes(t)).sort().map((t) => t.replace(/-/g, ' '));
    tokenize([item.name, item.description, item.category].concat(free).join(' ')).forEach((w) => add(ix.vocab, w, b));
    var names = tokenize(item.name).filter((w) => !UNIGRAMS[w] || !NOT_KEY.includes(UNIGRAMS[w].kind));
    names.forEach((w) => add(ix.names, w, b));
    ix.nameWords.push(new Set(names));
    // Key words name a dish: not lexicon words, so "pizza" stays a category word and an item
    // named only by generic words ("Kids Pasta") is found by search, never singled out.
    ix.keyWords.push(new Set(names.filter((w) => !UNIGRAMS[w])));
  });
  DIETS.forEach((diet) => {
    var mask = (tagged[diet] || 0n) | ((diet == 'vegetarian' && tagged.vegan) || 0n);
    items.forEach((item, i) => { if (conflicts(item, diet)) mask &= ~bit(i); });
    ix.byDiet[diet] = mask;
  });
  for (var g in SYN_GROUPS) ix.byGroup[g] = SYN_GROUPS[g].reduce((m, w) => m | (ix.vocab[w] || 0n), 0n);
  for (var w in ix.vocab) if (!isNumber(w)) (ix.byLen[w.length] = ix.byLen[w.length] || []).push(w);
  return ix;
}

// Menu words matching `w`: itself if present, else all fuzzy words at the smallest distance.
function vocabMatches(ix, w) {
  if (w in ix.vocab) return new Set([w]);
  if (!(w in ix.fuzzy)) {
    var found = [], best = 3;
    for (var n = w.length - 2; w.length >= 4 && n <= w.length + 2; n++) {
      (ix.byLen[n] || []).forEach((c) => {
        var k = fuzzyLimit(w, c), d = k && osa(w, c);
        if (!k || d > k || d > best) return;
        if (d < best) (best = d), (found = []);
        found.push(c);
      });
    }
    ix.fuzzy[w] = new Set(found);
  }
  return ix.fuzzy[w];
}

var token = (raw, word, kind, payload, words) => ({ raw: raw, word: word, kind: kind, payload: payload, words: words || new Set() });

function classify(ix, raw, w) {
  if (isNumber(w)) return token(raw, w, 'num');
  var e = UNIGRAMS[w];
  if (!e && !(w in ix.vocab)) e = UNIGRAMS[fuzzyLookup(w)];
  if (e) return token(raw, w, e.kind, e.payload, e.kind == 'term' || e.kind == 'allergen' ? vocabMatches(ix, w) : 0);
  var words = vocabMatches(ix, w);
  return token(raw, w, words.size ? 'term' : 'unk', null, words);
}

function tokens(ix, message) {
  var p = tokenizePairs(message), out = [], i = 0, e;
  while (i < p.length) {
    if (i + 1 < p.length && (e = BIGRAMS[p[i][1] + ' ' + p[i + 1][1]])) {
      out.push(token(p[i][0] + ' ' + p[i + 1][0], p[i][1] + ' ' + p[i + 1][1], e.kind, e.payload));
      i += 2;
    } else out.push(classify(ix, p[i][0], p[i][1])), i++;
  }
  return out;
}

// The first number at or after `j`, skipping stop and currency words: [value, index].
function nextNumber(toks, j) {
  var start = j;
  while (j < toks.length && ['stop', 'cur'].includes(toks[j].kind)) j++;
  return j < toks.length && toks[j].kind == 'num' ? [+toks[j].word.replace(',', '.'), j] : [null, start];
}

// parse.py's parse: diets, excluded allergens (scoped by "without"/"free"/"allergic"), terms, prices.
function parse(ix, message) {
  var toks = tokens(ix, message);
  var q = { toks: toks, diets: [], excluded: [], asked: [], terms: [], negTerms: [], unknown: [], max: null, min: null, sort: null, kinds: new Set(toks.map((t) => t.kind)), tooLong: toks.length > MAX_TOKENS };
  if (q.tooLong) return q;
  var diets = new Set(), excluded = new Set(), asked = new Set(), consumed = new Set(), scope = null;
  var exclude = (i) => {
    var t = toks[i];
    consumed.add(i);
    if (t.kind == 'allergen' || t.kind == 'always') t.payload.forEach((c) => excluded.add(c));
    else if (t.kind == 'term' || t.kind == 'unk') q.negTerms.push(t);
  };
  // "nut and egg free" / "shellfish allergy": apply to the words before the trigger.
  var applyBack = (i, free) => {
    var applied = false, wantContent = true;
    for (var j = i - 1; j >= 0; j--) {
      var t = toks[j];
      if (SKIP.includes(t.kind)) continue;
      // "free" also applies to plain words ("sugar free"); "allergic" only to allergen words.
      if (wantContent && !consumed.has(j) && (free ? CONTENT : ['allergen']).includes(t.kind)) {
        if (free && t.kind == 'allergen' && FREE_DIETS[t.word]) diets.add(FREE_DIETS[t.word]), consumed.add(j);
        else exclude(j);
        applied = true;
        wantContent = false;
      } else if (!wantContent && JOIN.includes(t.kind)) wantContent = true;
      else break;
    }
    return applied;
  };
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
    var k = t.kind;
    if (k == 'allergen') t.payload.forEach((c) => asked.add(c));
    if (!SKIP.includes(k) && k != 'or' && !positive(i)) orPending = false;
    if (consumed.has(i)) return;
    if (k == 'diet') diets.add(t.payload);
    else if (k == 'allergen' || k == 'term') orPending && q.terms.length ? q.terms[q.terms.length - 1].push(t) : q.terms.push([t]), (orPending = false);
    else if (k == 'or' && q.terms.length) {
      for (var j = i - 1; j >= 0 && SKIP.includes(toks[j].kind); j--);
      if (j >= 0 && positive(j)) orPending = true;
    }
    else if (k == 'unk') q.unknown.push(t);
    else if ((k == 'cheap' || k == 'dear') && !q.sort) q.sort = k;
    else if (k == 'max' || k == 'min') {
      var v = nextNumber(toks, i + 1)[0];
      if (v != null) q[k] = v;
    } else if (k == 'between') {
      var low = nextNumber(toks, i + 1), j = low[1];
      if (low[0] != null && j + 1 < toks.length && toks[j + 1].kind == 'join') {
        var high = nextNumber(toks, j + 2)[0];
        if (high != null) (q.min = Math.min(low[0], high)), (q.max = Math.max(low[0], high));
      }
    }
  });
  q.diets = DIETS.filter((d) => diets.has(d));
  q.excluded = ALLERGENS.filter((c) => excluded.has(c));
  q.asked = ALLERGENS.filter((c) => asked.has(c) || excluded.has(c));
  return q;
}
var hasFilters = (q) => !!(q.diets.length || q.excluded.length || q.terms.length || q.negTerms.length || q.max != null || q.min != null);

// match.py: bitset helpers, term masks, selection, extremes, dish references.
function bits(mask) {
  for (var out = [], i = 0; mask; mask >>= 1n, i++) if (mask & 1n) out.push(i);
  return out;
}

function termMask(ix, t) {
  var mask = 0n;
  t.words.forEach((w) => (mask |= ix.vocab[w] || 0n));
  // A positive allergen word ("with peanuts") matches menu text, else the items containing it.
  if (t.kind == 'allergen') !mask && t.payload.forEach((c) => (mask |= ix.byCode[c] || 0n));
  else if (t.payload != null) mask |= ix.byGroup[t.payload] || 0n;
  return mask;
}

// Apply every constraint; unavailable items never survive; [mask, hidden-for-lack-of-data].
function select(ix, q) {
  var mask = ix.available, hidden = 0;
  q.diets.forEach((d) => (mask &= ix.byDiet[d] || 0n));
  q.excluded.forEach((c) => (mask &= ~(ix.byCode[c] || 0n)));
  q.terms.forEach((group) => (mask &= group.reduce((m, t) => m | termMask(ix, t), 0n)));
  q.negTerms.forEach((t) => (mask &= ~termMask(ix, t)));
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
}

function extreme(ix, mask, sort) {
  var idx = bits(mask), prices = idx.map((i) => +ix.items[i].price), target = Math[sort == 'cheap' ? 'min' : 'max'](...prices);
  return idx.reduce((out, i, n) => (prices[n] == target ? out | bit(i) : out), 0n);
}

// Dishes named in the message: best (key words, name words) score; [items, onlyNames].
function dishRefs(ix, q) {
  var keys = {}, full = {};
  q.toks.forEach((t) => {
    if (SKIP.includes(t.kind) || t.kind == 'num') return;
    var words = t.words.size ? t.words : new Set(t.word in ix.vocab ? [t.word] : []);
    words.forEach((w) => bits(ix.names[w] || 0n).forEach((i) => {
      if (ix.keyWords[i].has(w)) (keys[i] = keys[i] || new Set()).add(w);
      if (ix.nameWords[i].has(w)) (full[i] = full[i] || new Set()).add(w);
    }));
  });
  var ids = Object.keys(keys).map(Number), score = (i) => keys[i].size * 1e4 + (full[i] ? full[i].size : 0);
  if (!ids.length) return [[], false];
  var best = Math.max(...ids.map(score)), items = ids.filter((i) => score(i) == best).sort((a, b) => a - b), names = new Set();
  items.forEach((i) => ix.nameWords[i].forEach((w) => names.add(w)));
  // "Only names" ignores stop words but not cue/frame words: "do you have X" is a search.
  var only = q.toks.every((t) => ['stop', 'join', 'or'].includes(t.kind) || [...(t.words.size ? t.words : [t.word])].some((w) => names.has(w)));
  return [items, only];
}

// replies.py: templates from the lexicon, money, item lines.
function tpl(loc, key, values) {
  var text = L.t[loc][key];
  for (var n in values) text = text.split('{' + n + '}').join(values[n]);
  return text;
}
var suggestions = (loc) => L.t[loc].sug.split('|');
function money(amount, currency, loc) {
  var text = amount % 1 ? amount.toFixed(2) : amount.toFixed(0), cur = (currency || 'EUR').toUpperCase();
  return (L.money[cur] || '# ' + cur).replace('#', loc == 'sv' ? text.replace('.', ',') : text);
}
var joinWords = (w, loc, conj) => (w.length > 1 ? w.slice(0, -1).join(', ') + ' ' + tpl(loc, conj || 'and') + ' ' + w[w.length - 1] : w.join(''));
// Diets an item may be called by: explicit tags (vegan implies vegetarian), minus contradicted ones.
var itemDiets = (item) => DIETS.filter((d) => (item.tags || []).includes(d) || (d == 'vegetarian' && (item.tags || []).includes('vegan'))).filter((d) => !conflicts(item, d));
var itemAllergens = (item) => ALLERGENS.filter((c) => (item.allergens || []).includes(c));
var itemLine = (item, cur, loc) => '- ' + item.name + ' (' + money(+item.price, cur, loc) + ')';

function describe(q, cur, loc) {
  var parts = lowerLabels(q.diets, loc).concat(q.terms.map((g) => joinWords(g.map((t) => t.raw), loc, 'or'))), x = lowerLabels(q.excluded, loc).concat(q.negTerms.map((t) => t.raw));
  if (q.min != null) parts.push(tpl(loc, 'min', { p: money(q.min, cur, loc) }));
  if (q.max != null) parts.push(tpl(loc, 'max', { p: money(q.max, cur, loc) }));
  if (x.length) parts.push(tpl(loc, 'without', { x: joinWords(x, loc) }));
  return parts.join(' ');
}

function allergenLines(item, q, loc) {
  var name = item.name, al = item.allergens || [], lines = [];
  var say = (key, codes) => codes.length && lines.push(tpl(loc, key, { name: name, x: joinWords(lowerLabels(codes, loc), loc) }));
  q.diets.forEach((d) => lines.push(tpl(loc, itemDiets(item).includes(d) ? 'is' : 'isnot', { name: name, d: label(loc, d).toLowerCase() })));
  if (q.asked.length || !q.diets.length) {
    if (!al.length) lines.push(tpl(loc, 'noinfo', { name: name }));
    else if (q.asked.length) say('contains', q.asked.filter((c) => al.includes(c))), say('lacks', q.asked.filter((c) => !al.includes(c)));
    else say('allergens', itemAllergens(item));
  }
  return lines;
}

function detailLines(item, cur, loc) {
  var desc = (item.description || '').trim(), x = joinWords(lowerLabels(itemAllergens(item), loc), loc);
  var marks = lowerLabels(itemDiets(item), loc).concat((item.tags || []).filter((t) => !DIETS.includes(t)).sort());
  var lines = [item.name + ' (' + money(+item.price, cur, loc) + ')' + (desc ? ': ' + desc : ''), tpl(loc, x ? 'allergens' : 'noinfo', { name: item.name, x: x })];
  if (marks.length) lines.push(tpl(loc, 'marked', { x: marks.join(', ') }));
  return lines;
}

// intents.py: choose the intent and build the answer {reply, items, intent, suggestions, answered}.
var unknown = (loc) => ({ reply: tpl(loc, 'unknown'), items: [], intent: 'unknown', suggestions: suggestions(loc), answered: false });
var done = (ix, lines, ids, intent, loc, remind, suggest) => ({
  reply: lines.concat(remind ? [tpl(loc, 'remind')] : []).join('\n'),
  items: ids.map((i) => ix.items[i]), intent: intent, suggestions: suggest ? suggestions(loc) : [], answered: true,
});

function respond(ix, message, loc) {
  var q = parse(ix, message), has = (k) => q.kinds.has(k);
  if (q.tooLong || !q.toks.length) return unknown(loc);
  var refs = dishRefs(ix, q), items = refs[0];
  if (items.length) {
    if (has('allq') || ((q.asked.length || q.diets.length) && (has('q') || has('both') || has('detq')))) return aboutDishes(ix, q, items, 'allergen_check', loc);
    if (has('priceq') && !q.sort) return aboutDishes(ix, q, items, 'price_check', loc);
    if ((has('detq') || has('q') || (refs[1] && items.length == 1)) && !q.sort) return aboutDishes(ix, q, items, 'dish_details', loc);
  }
  if (q.sort) return search(ix, q, loc);
  if (!(q.diets.length || q.excluded.length || q.max != null || q.min != null)) {
    for (var t of q.toks) {
      if (!(t.kind in FACTS)) continue;
      var value = (ix.restaurant[FACTS[t.kind]] || '').trim();
      return done(ix, [value ? tpl(loc, t.kind, { v: value }) : tpl(loc, 'nofact')], [], t.kind, loc);
    }
  }
  if (hasFilters(q) || has('frame')) return search(ix, q, loc);
  for (var p of [['thanks', 'thanks'], ['help', 'help'], ['greet', 'greeting']]) if (has(p[0])) return done(ix, [tpl(loc, p[0])], [], p[1], loc, 0, 1);
  if ((has('priceq') || has('allq') || has('detq')) && !q.unknown.length) return done(ix, [tpl(loc, 'help')], [], 'help', loc, 0, 1);
  return unknown(loc);
}

function search(ix, q, loc) {
  var cur = ix.restaurant.currency, phrase = describe(q, cur, loc), intent = 'search';
  if (!hasFilters(q) && q.unknown.length) return done(ix, [tpl(loc, 'none', { q: q.unknown.map((t) => t.raw).join(' ') })], [], intent, loc, 0, 1);
  var sel = select(ix, q), mask = sel[0];
  if (q.sort) (mask = extreme(ix, mask, q.sort)), (intent = q.sort == 'cheap' ? 'cheapest' : 'most_expensive');
  var ids = bits(mask), lines = [
    !ids.length ? tpl(loc, 'none', { q: phrase || tpl(loc, 'all').replace(/:+$/, '') })
      : q.sort ? tpl(loc, q.sort, { q: phrase ? ' ' + phrase : '' })
      : phrase ? tpl(loc, 'found', { q: phrase }) : tpl(loc, 'all'),
  ].concat(ids.slice(0, MAX_LISTED).map((i) => itemLine(ix.items[i], cur, loc)));
  if (ids.length > MAX_LISTED) lines.push(tpl(loc, 'more', { n: ids.length - MAX_LISTED }));
  if (sel[1]) lines.push(tpl(loc, 'hidden', { n: sel[1] }));
  return done(ix, lines, ids, intent, loc, q.excluded.length || q.diets.length || q.asked.length, !ids.length);
}

function aboutDishes(ix, q, refs, intent, loc) {
  var cur = ix.restaurant.currency, lines = [], ids = [];
  refs.forEach((i) => {
    var item = ix.items[i];
    if (item.available === false) return lines.push(tpl(loc, 'gone', { name: item.name }));
    if (ids.push(i) > MAX_LISTED) return;
    lines.push(...(intent == 'allergen_check' ? allergenLines(item, q, loc) : intent == 'price_check' ? [itemLine(item, cur, loc)] : detailLines(item, cur, loc)));
  });
  if (ids.length > MAX_LISTED) lines.push(tpl(loc, 'more', { n: ids.length - MAX_LISTED }));
  return done(ix, lines, ids, intent, loc, intent != 'price_check' && ids.length);
}

var localeOf = (locale) => (/^sv([-_]|$)/i.test(locale || '') ? 'sv' : 'en');
var indexes = new WeakMap();

// answer(menu, message, locale): menu is the menu API's JSON ({restaurant, items}). Never throws:
// an internal error answers "unknown" with no items, which is always safe.
function answer(menu, message, locale) {
  var loc = localeOf(locale);
  try {
    if (!indexes.has(menu)) indexes.set(menu, buildIndex(menu));
    return respond(indexes.get(menu), typeof message == 'string' ? message : '', loc);
  } catch (e) {
    return unknown(loc);
  }
}
