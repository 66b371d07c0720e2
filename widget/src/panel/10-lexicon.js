/* The local answer engine: a port of chat/engine (docs/engine.md) for most of its intents
   (docs/widget.md "The local engine"), over the same word tables: the projection of
   chat/engine/lexicon.json that widget/bundle.py inlines. It understands English and Swedish words
   and replies in the diner's language (language.py's reply_language). It continues a conversation
   from the context the server returned: standing diets and exclusions hold offline, and the last
   search ("which of those…") is read again from its words. What it does not answer offline gets
   an honest "only simple questions offline" answer with no items. Item sets are BigInt bitsets
   (bit i = i-th item). The index and the parse are locals of closures so the minifier can
   shorten every name.
   Tokens and lexicon entries: {k: kind, p: payload, s: surface text, w: stemmed word,
   m: matching menu words}. */
var L = __LEXICON__;
// The reply language of the message being answered, and its templates (set by answer()).
var LANG = 'en', T = L.t.en;
var split = (s) => (s ? s.split(' ') : []);
var dict = () => Object.create(null); // no prototype: a diner typing "constructor" finds nothing
var ALLERGENS = Object.keys(L.allergen), DIETS = split(L.diets), CODES = ALLERGENS.concat(DIETS);
// parse.py's SKIP: kinds that carry no constraint, skipped when scoping "without …" / "… free".
var SKIP = split('stop frame cur allq detq q priceq forget reset those shift now today tomorrow late week ord');
// Swedish definite endings (Snowball's Swedish step 1 has them among its suffixes).
var DEFINITE = split('erna arna orna na en et n t');
// Kinds whose words never name a dish: parse.py's first seven SKIP kinds (cue and frame words)
// and joiners.
var FILLER = SKIP.slice(0, 7).concat('join');
// intents.py's _LIST_INTENTS.
var LIST_INTENTS = split('search cheapest most_expensive');
var CONTENT = split('allergen term unk'), JOIN = split('join or');
var bit = (i) => 1n << BigInt(i);
// lexicon.py's normalize: NFC, lower case, no apostrophes, "w/o" -> "without".
var normalize = (s) => s.normalize('NFC').toLowerCase().replace(/['’‘`´]/g, '').replace(/(?<![\p{L}\d])w\/o(?![\p{L}\d])/gu, ' without ');
var stem = (w) => w.replace(/^(..+[^s])s$/, '$1'); // a plural "s" off words of 4+ letters
var isNumber = (w) => /^\d(.*\d)?$/.test(w);
var label = (code, loc = LANG) => L.labels[loc]?.split('|')[CODES.indexOf(code)] || code[0].toUpperCase() + code.slice(1);
// language.py's words that mark a language (ext.lang) and lexicon.py's STATEMENT_WORDS ("my son
// can't have eggs" speaks of someone at the table): listed, or marked where a word table holds
// them ("the+" English, "och*" Swedish, "my!" a statement word; widget/bundle.py moves them).
var LANG_WORDS = { en: new Set(split(L.lang.en)), sv: new Set(split(L.lang.sv)) }, STATEMENT_WORDS = new Set(split(L.statement));
var ONLY_WORDS = new Set(split(L.only)), CORRECTION_WORDS = new Set(split(L.correction));
var MARKS = { '+': LANG_WORDS.en, '*': LANG_WORDS.sv, '!': STATEMENT_WORDS, '^': ONLY_WORDS, '~': CORRECTION_WORDS };
var words = (spec) => split(spec).map((w) => w.replace(/[+*!^~]/g, (m) => (MARKS[m].add(w.replace(/[+*!^~]/g, '')), '')).split('_').map(stem).join(' '));
var bits = (mask) => {
  for (var out = [], i = 0; mask; mask >>= 1n, i++) if (mask & 1n) out.push(i);
  return out;
};

// Optimal string alignment (restricted Damerau-Levenshtein) distance, as rapidfuzz's OSA.
var osa = (a, b) => {
  for (var d = [], i = 0, j; i <= a.length; i++)
    // A transposition needs i, j > 1: out of range, a[-1]/b[-1] are undefined and match nothing.
    for (d[i] = [i], j = 1; j <= b.length; j++)
      d[i][j] = i ? Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
        a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] ? d[i - 2][j - 2] + 1 : 9) : j;
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

// Word tables, built as lexicon.py's _build from the tables widget/bundle.py merged once (v2 words
// appended, synonym groups as SYN_SPECS, words that can never win left out): earlier tables win
// (allergen, always, diet, kinds, the v2 words of typo-matched kinds, ordinals, synonym groups);
// "_" joins a two-word phrase.
var UNIGRAMS = dict(), BIGRAMS = dict(), FREE_DIETS = dict(), SYN_GROUPS = dict(), fuzzyCache = dict();
(() => {
  var k, each = (t, f) => { for (k in t) words(t[k]).forEach((w) => f(w, k)); };
  // The first entry for a word wins (an allergen word collects all its codes).
  var put = (w, k, p, t = w.includes(' ') ? BIGRAMS : UNIGRAMS) => (t[w] ||= { k, p });
  each(L.allergen, (w, k) => put(w, 'allergen', []).p.push(k));
  each(L.always, (w, k) => put(w, 'always', [k]));
  each(L.diet, (w, k) => put(w, 'diet', k));
  each(L.kinds, put);
  each(L.kinds_v2, put);
  each(L.ordinals, (w, pos) => put(w, 'ord', +pos));
  L.syn.forEach((g) => (g = words(g)).forEach((w) => put(w, 'term', g[0]), (SYN_GROUPS[g[0]] = g)));
  each(L.free, (w, k) => (FREE_DIETS[w] = k));
})();
var PRONOUNS = new Set(split(L.pron));
// Typo-matched lexicon words: only these kinds (fuzzy cue or greeting words made false intents).
var FUZZY_WORDS = Object.keys(UNIGRAMS).filter((w) => split('allergen always diet term pre both cheap dear max min').includes(UNIGRAMS[w].k));

// lexicon.py's ALLERGY_SUFFIXES + FREE_SUFFIXES ("nötallergi", "glutenfri"): Python constants,
// not yet in lexicon.json, so tests/widget checks this copy against them.
var COMPOUND_SUFFIXES = split('allergiker allergisk allergier allergin allergi allergy allergic intolerant intolerans free fritt fria fri');
// (surface, stemmed) pairs; "glutenfree"-style compounds split when the head is an allergen word.
var tokenizePairs = (text) => {
  var out = [];
  normalize(text).match(/\d+(st|nd|rd|th)(?!\p{L})|\d+([.,]\d+)?|[\p{L}\p{Nl}\p{No}]+|,/gu)?.forEach((tok) => {
    for (var s of COMPOUND_SUFFIXES) {
      var head = tok.slice(0, -s.length), e = UNIGRAMS[stem(head)];
      if (tok.endsWith(s) && head[1] && e?.k == 'allergen' && !UNIGRAMS[stem(tok)]) return out.push([head, stem(head)], [s, s]);
    }
    out.push([tok, stem(tok)]);
  });
  return out;
};
var tokenize = (text) => tokenizePairs(text).map((p) => p[1]);

// language.py: which language a diner wrote in, from words that mark one language (ext.lang).
var SV_SUFFIXES = split(L.lang.suffix_sv);
var detect = (message) => {
  var score = { en: 0, sv: 0 };
  for (var w of normalize(message).replace(/[^a-zåäöéü]+/g, ' ').split(' ').filter(Boolean)) {
    var en = LANG_WORDS.en.has(w), sv = LANG_WORDS.sv.has(w) || /[åäö]/.test(w) || (w.length > 6 && SV_SUFFIXES.some((x) => w.endsWith(x)));
    if (en && !sv) score.en++;
    else if (sv && !en) score.sv++;
  }
  return score.en == score.sv ? null : score.en > score.sv ? 'en' : 'sv';
};
var localeOf = (locale) => (typeof locale == 'string' && /^(en|sv)$/.test((locale = locale.toLowerCase().replace('_', '-').split('-')[0])) ? locale : null);
var replyLanguage = (message, hint, previous, restaurant) => detect(message) || localeOf(hint) || localeOf(previous) || localeOf(restaurant) || 'en';

// replies.py: templates, money, lists.
// tpl(key, {name: value, …}) fills named slots; tpl(key, value) fills a template's one slot.
var tpl = (key, v) => (typeof v == 'object' ? Object.keys(v).reduce((text, k) => text.replaceAll('{' + k + '}', v[k]), T[key]) : T[key].replace(/{\w+}/, () => v));
// replies.py's money: kronor drop the decimals of whole amounts and take a decimal comma in
// Swedish; other currencies always show cents.
var KRONOR = split('SEK NOK DKK');
var money = (amount, currency) => {
  var cur = (currency || 'EUR').toUpperCase(), kronor = KRONOR.includes(cur), text = amount.toFixed(kronor && amount % 1 == 0 ? 0 : 2);
  if (LANG == 'sv' && kronor) text = text.replace('.', ',');
  return (L.money[cur] || '# ' + cur).replace('#', text);
};
var joinWords = (w, conj) => (w[1] ? w.slice(0, -1).join(', ') + ' ' + T[conj] + ' ' + w.at(-1) : w[0]);
// Diets an item may be called by: explicit tags (vegan implies vegetarian), minus contradicted ones.
// (Vegan contradicted, e.g. a "vegan" sauce with egg white, implies nothing.)
var contradicted = (item, diet) => (item.allergens || []).some((c) => split(L.conflict[diet]).includes(c));
var itemDiets = (item, tags = item.tags || []) => DIETS.filter((d) => (tags.includes(d) || (d == 'vegetarian' && tags.includes('vegan') && !contradicted(item, 'vegan'))) && !contradicted(item, d));
var itemAllergens = (item) => ALLERGENS.filter((c) => (item.allergens || []).includes(c));
var lower = (code) => label(code).toLowerCase();
// replies.py's constraint_names and standing_line: "vegan, without nuts and peanuts".
var constraintNames = (diets, excluded) => diets.map(lower).concat(excluded.length ? tpl('without', joinWords(excluded.map(lower), 'and')) : []).join(', ');
var standingLine = (diets, excluded) => tpl('standing', { s: constraintNames(diets, excluded) });
// match.py's DIET_TRACES, derived: a diet whose conflicts are one allergen ("gluten-free": gluten)
// also leaves out the dishes that may contain traces of it.
var DIET_TRACES = dict();
DIETS.forEach((d) => split(L.conflict[d])[1] || (DIET_TRACES[d] = L.conflict[d]));
// replies.py's MAX_LISTED (and parse.py's MAX_TOKENS, conversation.py's MAX_QUERY: L.limits).
var MAX_LISTED = L.limits.listed;
// An answer: reply lines (+ the staff reminder), items, intent, suggestions or none, answered.
var result = (lines, items, intent, remind, suggest, answered = true, flagged = []) => ({
  reply: lines.concat(remind ? T.remind : []).join('\n'), items, intent, suggestions: suggest ? T.sug.split('|') : [], answered, flagged,
});
var refuse = (reply = T.unknown) => result([reply], [], 'unknown', 0, 1, false);
