/* The local engine proper (index.py, parse.py, match.py and intents.py ported), over the word
   tables, replies and language detection of 10-lexicon.js; answer() is its entry point. */
// One menu's engine: the index (index.py's build_index) and a function answering one message.
var engine = (menu) => {
  // `earlier`: the message's standing constraints before it (after a withdrawal: what is left).
  var items = menu.items, r = menu.restaurant || {}, avail = 0n, noInfo = 0n, nameWords = [], earlier;
  var byCode = dict(), byTrace = dict(), byDiet = dict(), vocab = dict(), byGroup = dict(), fuzzy = dict();
  var add = (table, key, b) => (table[key] = (table[key] || 0n) | b);
  items.forEach((item, i) => {
    var b = bit(i), tags = item.tags || [], allergens = item.allergens || [];
    if (item.available !== false) avail |= b;
    // Undeclared allergen information cannot vouch for "without X" (the menu API says so; older
    // menus without the field: an empty list means "not declared").
    if (item.allergensDeclared === false || (item.allergensDeclared == null && !allergens[0])) noInfo |= b;
    allergens.forEach((c) => add(byCode, c, b));
    (item.mayContain || []).forEach((c) => add(byTrace, c, b));
    itemDiets(item, tags.map(normalize)).forEach((d) => add(byDiet, d, b));
    // Diet tags are matched as diets, never as free text (so "gluten" alone is not "gluten-free").
    var free = tags.filter((t) => !DIETS.includes(t)).map((t) => t.replace(/-/g, ' '));
    tokenize([item.name, item.description, item.category, ...free].join(' ')).forEach((w) => add(vocab, w, b));
    // Name words: what names a dish (cue and frame words never do).
    nameWords.push([...new Set(tokenize(item.name).filter((w) => !FILLER.includes(UNIGRAMS[w]?.k)))]);
  });
  // Items whose text has any of these words.
  var any = (ws) => ws.reduce((m, w) => m | (vocab[w] || 0n), 0n);
  for (var g in SYN_GROUPS) byGroup[g] = any(SYN_GROUPS[g]);
  var menuWords = Object.keys(vocab).filter((w) => !isNumber(w));
  // Menu words matching `w`: itself if present, else all menu words at the smallest distance.
  var vocabMatches = (w) => (w in vocab ? [w] : (fuzzy[w] ||= nearest(w, menuWords)));
  var termMask = (t) => {
    var mask = any(t.m);
    // A positive allergen word ("with peanuts") matches menu text, else the items containing it.
    if (t.k == 'allergen') mask || t.p.forEach((c) => (mask |= byCode[c] || 0n));
    else mask |= byGroup[t.p] || 0n;
    return mask;
  };
  var done = (lines, ids, ...rest) => result(lines, ids.map((i) => items[i]), ...rest);
  var available = (i) => items[i].available !== false;
  // match.py's conflicts_of: the codes item i contains, may contain or cannot vouch for, then
  // the diets it is not (validly) tagged with.
  var conflictsOf = (i, diets, codes) => {
    var item = items[i], b = bit(i), out = codes.filter((c) => (item.allergens || []).includes(c) || (item.mayContain || []).includes(c) || noInfo & b);
    diets.forEach((d) => (!(byDiet[d] & b) || (item.mayContain || []).includes(DIET_TRACES[d])) && out.push(d));
    return out;
  };
  var allergenNames = (codes) => codes.map(lower);
  var itemLine = (item) => '- ' + item.name + ' (' + money(+item.price, r.currency) + ')';
  // replies.py's _allergen_facts, allergen_lines, conflict_lines and detail_lines.
  var allergenFacts = (item, i) => {
    var name = item.name, codes = itemAllergens(item), traces = ALLERGENS.filter((c) => (item.mayContain || []).includes(c)), lines = [];
    if (codes[0]) lines.push(tpl('allergens', { name, x: joinWords(allergenNames(codes), 'and') }));
    if (noInfo & bit(i)) lines.push(tpl('undeclared_all', { name }));
    else if (!codes[0]) lines.push(tpl('allfree', { name }));
    if (traces[0]) lines.push(tpl('maycontain', { name, x: joinWords(allergenNames(traces), 'or') }));
    return lines;
  };
  var allergenLines = (item, i, codes, diets) => {
    var name = item.name, lines = [], all = item.allergens || [], may = item.mayContain || [];
    diets.forEach((d) => {
      var ok = byDiet[d] & bit(i), trace = DIET_TRACES[d];
      lines.push(tpl(ok ? 'is' : 'isnot', { name, d: lower(d) }));
      if (ok && trace && may.includes(trace)) lines.push(tpl('maycontain', { name, x: lower(trace) }));
    });
    if (codes[0]) {
      var has = codes.filter((c) => all.includes(c)), traces = codes.filter((c) => !all.includes(c) && may.includes(c)), rest = codes.filter((c) => !has.includes(c) && !traces.includes(c));
      if (has[0]) lines.push(tpl('contains', { name, x: joinWords(allergenNames(has), 'and') }));
      if (traces[0]) lines.push(tpl('maycontain', { name, x: joinWords(allergenNames(traces), 'or') }));
      if (rest[0]) lines.push(tpl(noInfo & bit(i) ? 'undeclared' : 'hasnot', { name, x: joinWords(allergenNames(rest), 'or') }));
    } else if (!diets[0]) lines.push(...allergenFacts(item, i));
    return lines;
  };
  var conflictLines = (item, conflicts) => (conflicts[0] ? [tpl('conflict', { name: item.name, x: joinWords(conflicts.map(lower), 'and') })] : []);
  var detailLines = (item, i) => {
    var head = item.name + ' (' + money(+item.price, r.currency) + ')' + ((item.description || '').trim() ? ': ' + item.description.trim() : '');
    var marks = itemDiets(item).map(lower).concat((item.tags || []).filter((t) => !DIETS.includes(t)).sort());
    return [head, ...allergenFacts(item, i), ...(marks[0] ? [tpl('marked', { x: marks.join(', ') })] : [])];
  };
  // intents.py's about: one-dish answers for each dish named; fitting dishes are the items,
  // the others are flagged with their conflicts.
  // replies.py's property_lines: "is it spicy?", yes or no for each word, from the dish's own text.
  var propertyLines = (item, i, props) => props.map((g) => tpl(g.some((t) => termMask(t) & bit(i)) ? 'prop_yes' : 'prop_no', { name: item.name, x: joinWords(g.map((t) => t.s), 'or') }));
  var about = (refs, intent, standing, asked, diets, props) => {
    // "what about the gravy?": an allergen asked of the last dish is asked of this one too
    if (intent == 'allergen_check' && !asked[0] && !diets[0] && standing.topic == intent) asked = standing.asked;
    var codes = [...new Set([...asked, ...standing.excluded])], lines = [], fits = [], flagged = [], shown = 0;
    diets = DIETS.filter((d) => diets.includes(d) || standing.diets.includes(d));
    refs.forEach((i) => {
      var item = items[i];
      if (!available(i)) return lines.push(tpl('gone', { name: item.name }));
      var conflicts = conflictsOf(i, diets, codes);
      conflicts[0] ? flagged.push({ ...item, conflicts }) : fits.push(i);
      if (++shown > MAX_LISTED) return;
      if (intent == 'allergen_check') lines.push(...allergenLines(item, i, codes, diets));
      else if (intent == 'price_check') lines.push(itemLine(item), ...conflictLines(item, conflicts));
      else lines.push(...(props ? propertyLines(item, i, props) : detailLines(item, i)), ...conflictLines(item, conflicts));
    });
    if (shown > MAX_LISTED) lines.push(tpl('more', shown - MAX_LISTED));
    var kept = refs.some(available);
    if (kept) standing.focus = refs.filter(available).map((i) => items[i].id);
    standing.topic = intent;
    standing.asked = intent == 'allergen_check' ? asked : [];
    var remind = (intent != 'price_check' && kept && (intent == 'allergen_check' || !props || codes[0])) || (intent == 'price_check' && flagged[0]);
    return done(lines, fits, intent, remind, 0, true, flagged);
  };

  // parse.py's tokens: known two-word phrases first, then each word classified (exact, menu
  // word, typo of a lexicon word).
  var tokens = (message) => {
    for (var p = tokenizePairs(message), toks = [], i = 0, e, w, m; i < p.length; i++) {
      w = p[i][1];
      if (p[i + 1] && (e = BIGRAMS[w + ' ' + p[i + 1][1]])) toks.push({ ...e, s: p[i][0] + ' ' + p[i + 1][0], w: w + ' ' + p[++i][1], m: [] });
      else if (isNumber(w)) toks.push({ k: 'num', s: w, w, m: [] });
      else {
        // A Swedish definite form ("glöggen", "mjölken", "nötterna") is read as its base word
        // when only that is known, as lexicon.py's forms read it through Snowball's stems.
        // ("mildest" of the dishes tagged mild, as Snowball's stem reads it)
        if (!UNIGRAMS[w] && !(w in vocab)) w = [...DEFINITE.map((x) => w.endsWith(x) && w.slice(0, -x.length)), w.endsWith('est') && w.slice(0, -3)].find((b) => b[2] && (UNIGRAMS[b] || b in vocab)) || w;
        if (!(e = UNIGRAMS[w]) && !(w in vocab)) e = UNIGRAMS[w in fuzzyCache ? fuzzyCache[w] : (fuzzyCache[w] = nearest(w, FUZZY_WORDS)[0])];
        m = !e || e.k == 'term' || e.k == 'allergen' ? vocabMatches(w) : [];
        toks.push({ k: m[0] ? 'term' : 'unk', ...e, s: p[i][0], w, m });
      }
    }
    return toks;
  };

  // parse.py's parse: diets, excluded allergens (scoped by "without"/"free"/"allergic"), allowed
  // and denied allergies, terms, prices, the sort. (Not yet ported, for bytes: the "fine" words,
  // "peanuts but tree nuts are fine".)
  var parse = (message) => {
    var toks = tokens(message), consumed = new Set(), dietSet = new Set(), excl = new Set(), deniedCue = new Set();
    var q = { toks, consumed, terms: [], neg: [], unknown: [], lim: {} };
    // "och den andra mot nötter": "mot" before an allergen tells an allergy, and "den andra" is
    // a person then, not the second dish (as parse.py)
    toks.forEach((t, i) => t.w == 'mot' && toks[i + 1]?.k == 'allergen' && !toks.some((u) => u.k == 'both') && ((t.k = 'both'), toks.forEach((u, n) => n < i && u.k == 'ord' && /^andr[ae]$/.test(u.w) && (u.k = 'stop'))));
    // "the least spicy chicken", "minst stark": not spicy (as parse.py)
    toks.forEach((t, i) => /^(least|minst)$/.test(t.w) && toks[i + 1]?.k == 'term' && (t.k = 'pre'));
    var has = (q.has = (kinds) => toks.some((t) => split(kinds).includes(t.k))); // any token of these kinds
    var scope = null, orPending, at;
    // The first number at or after `j`, skipping stop and currency words (its index goes to `at`).
    var number = (j) => {
      while (/^(stop|cur)$/.test(toks[j]?.k)) j++;
      at = j;
      return toks[j]?.k == 'num' ? +toks[j].w.replace(',', '.') : null;
    };
    var exclude = (i, t = toks[i]) => {
      consumed.add(i);
      t.k == 'term' || t.k == 'unk' ? q.neg.push(t) : t.p.forEach((c) => excl.add(c)); // allergen, always
    };
    // "nut and egg free" / "shellfish allergy": apply to the words before the trigger.
    var applyBack = (i, free) => {
      // After a comma only allergen words are listed ("grilled stuff, dairy free" leaves the
      // grilled dishes alone).
      for (var applied = false, want = true, afterComma = false, j = i - 1; j >= 0; j--) {
        var t = toks[j];
        if (SKIP.includes(t.k)) continue;
        // "free" also applies to plain words ("sugar free"); "allergic" only to allergen words.
        if (want && !consumed.has(j) && (free && !afterComma ? CONTENT.includes(t.k) : t.k == 'allergen')) {
          if (free && t.k == 'allergen' && FREE_DIETS[t.w]) dietSet.add(FREE_DIETS[t.w]), consumed.add(j);
          else exclude(j);
          applied = true;
          want = false;
        } else if (!want && JOIN.includes(t.k)) (want = true), (afterComma ||= t.w == ',');
        else break;
      }
      return applied;
    };
    // The scope states: null, "open" (after "without"/"allergic to"), "after" (an excluded word),
    // "joined" (then "and"/"or"), "gap" (a joiner, then another word: "can't eat eggs or milk,
    // any starters?" — only allergen words continue the list after the gap), "allow" ("i can eat
    // dairy") and "deny" ("my son isn't allergic to shellfish"): their words are no constraint.
    toks.forEach((t, i) => {
      var k = t.k, j, held = scope == 'allow' || scope == 'deny', opened = scope == 'open' || scope == 'joined';
      if (deniedCue.has(i)) return;
      // "actually only peanuts", "just peanuts": a restated allergy, excluded (the server also
      // withdraws the others; offline they stay, the safe side)
      if (ONLY_WORDS.has(t.w) && toks[i + 1]?.k == 'allergen') return (scope = 'open');
      // ("allergic to milk and the other to eggs": "and the" joins the list too)
      if (SKIP.includes(k)) return scope == 'joined' ? (scope = 'gap') : scope == 'after' && k == 'shift' && JOIN.includes(UNIGRAMS[t.w.split(' ')[0]]?.k) && (scope = 'joined');
      if (held && t.w == ',') return (scope = null); // "i'm not allergic to anything, just vegetarian"
      if (held && (CONTENT.includes(k) || k == 'always')) return consumed.add(i);
      if (k == 'but') return (scope = null);
      // ("what can i eat with a fish allergy" allows nothing: the allergy follows "with")
      if (k == 'okeat') return toks.slice(i + 1).some((u) => u.k == 'both') || (scope = 'allow');
      if (k == 'always') return exclude(i);
      // ("desserts free from sesame", "fria från nötter": a "without", as parse.py's _free_from)
      // (not after an allergen: "nötfritt från tandoorin")
      if (k == 'post' && /^(from|of|från)$/.test(toks[i + 1]?.w) && [...CONTENT, 'always'].includes(toks[i + 2]?.k) && toks.findLast((u, n) => n < i && !SKIP.includes(u.k))?.k != 'allergen') return (scope = 'open');
      if (k == 'post' || k == 'both') scope = !applyBack(i, k == 'post') && k == 'both' ? 'open' : null;
      else if (k == 'pre') {
        j = toks.findIndex((u, n) => n > i && !SKIP.includes(u.k));
        // "isn't allergic to", "inte allergisk mot": an allergy denied
        if (toks[j]?.k == 'both') deniedCue.add(j), (scope = 'deny'), (q.denied = 1);
        else {
          // "som inte tål nötter", "can't eat": still a no; "det är mjölk hon inte tål", "dairy
          // she can't have": the allergen before it
          if (toks[j]?.k == 'okeat') deniedCue.add(j), (j = toks.findIndex((u, n) => n > j && !SKIP.includes(u.k)));
          scope = (!toks[j] || toks[j].w == ',') && applyBack(i) ? null : 'open';
        }
      } else if (JOIN.includes(k)) scope == 'after' && (scope = t.w == ',' ? 'gap' : 'joined');
      else if (CONTENT.includes(k)) scope = opened || (scope == 'gap' && k == 'allergen') ? (exclude(i), 'after') : null;
      else {
        if (k == 'diet' && opened) consumed.add(i); // "not vegan": drop the diet rather than guess
        scope = null;
      }
    });
    // "mjölk menade jag, inte ägg": a correction's allergens all stay excluded offline (the
    // server swaps them; the safe side)
    if (toks.some((t) => ONLY_WORDS.has(t.w))) toks.forEach((t, i) => t.k == 'allergen' && !consumed.has(i) && exclude(i));
    // Positive words: groups are ANDed, words inside a group ("pizza or pasta") are ORed.
    var positive = (j) => !consumed.has(j) && (toks[j].k == 'allergen' || toks[j].k == 'term');
    toks.forEach((t, i) => {
      var k = t.k, j, terms = q.terms, lim = q.lim;
      if (!SKIP.includes(k) && k != 'or' && !positive(i)) orPending = false;
      if (consumed.has(i)) return;
      if (k == 'diet') dietSet.add(t.p);
      else if (positive(i)) orPending && terms[0] ? terms.at(-1).push(t) : terms.push([t]), (orPending = false);
      else if (k == 'or') {
        for (j = i - 1; j >= 0 && SKIP.includes(toks[j].k); j--);
        if (terms[0] && j >= 0 && positive(j)) orPending = true;
      } else if (k == 'unk') q.unknown.push(t);
      else if ((k == 'cheap' || k == 'dear') && !q.sort) q.sort = k;
      else if (k == 'max' || k == 'min') (j = number(i + 1)) != null && (lim[k] = j);
      else if (k == 'between') {
        var low = number(i + 1), high = toks[at + 1]?.k == 'join' && number(at + 2);
        if (low != null && high === +high) (lim.min = Math.min(low, high)), (lim.max = Math.max(low, high));
      }
    });
    q.diets = DIETS.filter((d) => dietSet.has(d));
    q.excluded = ALLERGENS.filter((c) => excl.has(c));
    // intents.py's _states: the message speaks of someone at the table (I, my son, vi …).
    q.asked = has('allergen');
    q.states = toks.some((t) => t.w.split(' ').some((w) => STATEMENT_WORDS.has(w)));
    return q;
  };
  var priced = (q) => Object.keys(q.lim)[0];
  // intents.py's _words_of: the message's words again, for re-reading the search later.
  var wordsOf = (q) => q.toks.map((t) => t.s).join(' ');

  // intents.py's withdraw: "forget the nuts", "glöm det", "börja om" (the codes and diets it
  // names go; none named, or a restart: all of them).
  var withdraw = (q, standing, swapped) => {
    // (what "forget" names, up to the next comma; an exclusion after it stands: "forget vegan,
    // my friend just wants a crepe without nuts")
    var cut = q.toks.findIndex((t, i) => t.w == ',' && q.toks.slice(0, i).some((u) => u.k == 'forget'));
    var named = cut < 0 ? q.toks : q.toks.slice(0, cut), codes = new Set(swapped), diets = new Set(), reset = q.has('reset'), head, only = [];
    named.forEach((t) => (t.k == 'diet' ? diets.add(t.p) : swapped || (/^(allergen|always)$/.test(t.k) && t.p.forEach((c) => codes.add(c)))));
    // "glöm glutenet, det är bara laktos": what follows "only" stands, and so does an exclusion
    // after what is forgotten ("glöm nötterna, hon tål bara inte jordnötter")
    q.toks.forEach((t, i) => ONLY_WORDS.has(t.w) && q.toks[i + 1]?.k == 'allergen' && only.push(...q.toks[i + 1].p));
    q.toks.slice(named.length).forEach((t) => t.k == 'allergen' && only.push(...t.p.filter((c) => q.excluded.includes(c))));
    only.forEach((c) => codes.delete(c));
    if (reset || !(codes.size || diets.size)) {
      // Words it does not understand may name what to forget: offline, nothing goes on a guess.
      if (!reset && q.toks.some((t) => t.k == 'unk' || t.k == 'term')) return refuse();
      head = T.forgot_all;
      standing.diets = standing.excluded = [];
      if (reset) (standing.last = standing.focus = []), (standing.query = '');
    } else {
      head = tpl('forgot', { x: constraintNames(DIETS.filter((d) => diets.has(d)), [...codes].sort()) });
      standing.diets = standing.diets.filter((d) => !diets.has(d));
      standing.excluded = standing.excluded.filter((c) => !codes.has(c));
    }
    standing.excluded = ALLERGENS.filter((c) => standing.excluded.includes(c) || only.includes(c) || (q.excluded.includes(c) && !codes.has(c)));
    // ("glöm vegan, jag är vegetarian": a diet told after what is forgotten stands)
    q.toks.slice(named.length).forEach((t) => t.k == 'diet' && !standing.diets.includes(t.p) && standing.diets.push(t.p));
    earlier = standing.diets[0] || standing.excluded[0];
    // "forget the sesame, what wraps do you have?": the rest of the message is the search.
    q.terms = q.terms.map((g) => g.filter((t) => t.k != 'allergen')).filter((g) => g[0]);
    q.excluded = q.neg = q.unknown = [];
    if (q.terms[0] || q.diets[0] || priced(q)) return search(q, standing, [head]);
    return done([head], [], 'help', 0, 1);
  };

  // intents.py's search: list answers (search, cheapest, most expensive) and the follow-ups on
  // the last list, which re-read the last search (never its stored ids, so a dish sold out
  // since is seen): "which of those are gluten free?", "under 70?", "vad är billigast av dem?".
  var search = (q, standing, head = [], remember = true) => {
    var { diets, excluded, sort, has } = q, terms = q.terms, neg = q.neg, lim = q.lim, unknown = q.unknown;
    var bare = !(terms[0] || neg[0] || diets[0] || excluded[0] || unknown[0] || priced(q));
    var constraintOnly = (diets[0] || excluded[0] || priced(q)) && !(terms[0] || neg[0] || unknown[0] || sort);
    var narrowing = standing.query && (has('those') || (constraintOnly && !q.states && LIST_INTENTS.includes(standing.topic)));
    var sortWithin = sort && bare && standing.query, shift = standing.query && (has('shift') || q.toks[0].k == 'join');
    // "and the salad?" right after "does it have nuts?": offline, the salads without nuts
    if (shift && standing.topic == 'allergen_check') excluded = ALLERGENS.filter((c) => excluded.includes(c) || standing.asked.includes(c));
    if (narrowing || sortWithin || shift) {
      var before = parse(standing.query);
      if (narrowing || sortWithin) (terms = before.terms.concat(terms)), (neg = before.neg.concat(neg));
      if (!priced(q)) lim = before.lim;
    }
    var cur = r.currency, x = excluded.map(lower).concat(neg.map((t) => t.s)), mask = avail, item, v;
    var phrase = diets.map(lower).concat(terms.map((g) => joinWords(g.map((t) => t.s), 'or')));
    for (v of ['min', 'max']) v in lim && phrase.push(tpl(v, money(lim[v], cur)));
    if (x[0]) phrase.push(tpl('without', joinWords(x, 'and')));
    phrase = phrase.join(' ');
    if (!(diets[0] || excluded[0] || terms[0] || neg[0] || Object.keys(lim)[0]) && unknown[0]) return done([tpl('none', unknown.map((t) => t.s).join(' '))], [], 'search', 0, 1, false);
    // Apply every constraint; unavailable items never survive.
    standing.diets.forEach((d) => (mask &= byDiet[d] || 0n));
    var out = ALLERGENS.filter((c) => standing.excluded.includes(c) || excluded.includes(c));
    out.forEach((c) => (mask &= ~(byCode[c] || 0n)));
    terms.forEach((g) => (mask &= g.reduce((m, t) => m | termMask(t), 0n)));
    neg.forEach((t) => (mask &= ~termMask(t)));
    bits(mask).forEach((i) => ((v = +items[i].price) > lim.max || v < lim.min) && (mask &= ~bit(i)));
    // match.py's select: dishes that may contain traces of an excluded allergen (or of a
    // diet's one allergen) are left out, and under an exclusion so are undeclared ones.
    var traceCodes = [...new Set([...out, ...standing.diets.map((d) => DIET_TRACES[d]).filter(Boolean)])];
    var traced = traceCodes.reduce((m, c) => m | (byTrace[c] || 0n), 0n) & mask, undeclared = 0n;
    mask &= ~traced;
    if (out[0]) (undeclared = mask & noInfo), (mask &= ~noInfo);
    traceCodes = ALLERGENS.filter((c) => traceCodes.includes(c) && traced & (byTrace[c] || 0n));
    // match.py's extreme: the dishes at the lowest or highest price (ties kept).
    if (sort) {
      var prices = bits(mask).map((i) => +items[i].price), target = Math[sort == 'cheap' ? 'min' : 'max'](...prices);
      bits(mask).forEach((i) => +items[i].price != target && (mask &= ~bit(i)));
    }
    var ids = bits(mask), lines = [...head, !ids.length ? tpl('none', phrase || T.everything) : sort ? tpl(sort, phrase && ' ' + phrase) : phrase ? tpl('found', phrase) : T.all];
    // At most six item lines, then "…and N more".
    lines.push(...ids.slice(0, MAX_LISTED).map((i) => itemLine(items[i])));
    if (ids[MAX_LISTED] >= 0) lines.push(tpl('more', ids.length - MAX_LISTED));
    // replies.py's left_out: how many dishes were left out for each reason.
    if ((v = bits(traced).length)) lines.push(tpl(v == 1 ? 'traces_1' : 'traces_n', { n: v, x: joinWords(allergenNames(traceCodes), 'or') }));
    if ((v = bits(undeclared).length)) lines.push(tpl(v == 1 ? 'undeclared_1' : 'undeclared_n', { n: v }));
    if (earlier) lines.push(standingLine(standing.diets, standing.excluded));
    // A search that finds nothing is not an answer (staff see it among unanswered questions).
    var intent = sort ? (sort == 'cheap' ? 'cheapest' : 'most_expensive') : 'search';
    if (remember) {
      if (narrowing) standing.query = (standing.query + ' ' + wordsOf(q)).trim().slice(-L.limits.query);
      else if (!sort || !bare) standing.query = wordsOf(q);
    }
    // "which is the cheapest?" keeps the list it chose from
    if (!sortWithin) standing.last = ids.map((i) => items[i].id);
    standing.focus = ids[1] ? [] : ids.map((i) => items[i].id);
    standing.topic = intent;
    return done(lines, ids, intent, diets[0] || excluded[0] || q.asked || standing.excluded[0], !ids.length, ids.length > 0);
  };

  return (message, standing) => {
    var q = parse(message), toks = q.toks, consumed = q.consumed, terms = q.terms, neg = q.neg, unknown = q.unknown, sort = q.sort, diets = q.diets, excluded = q.excluded, has = q.has, t, v;
    if (!toks[0] || toks[L.limits.tokens]) return refuse(); // nothing, or too long to be a question
    earlier = standing.diets[0] || standing.excluded[0];
    if (has('forget reset')) return withdraw(q, standing);
    // intents.py's _swapped: a correction swaps one standing allergy for another ("actually its
    // celery not mustard, sorry"): the negated one goes, the other (the allergen words not
    // excluded, all of the message's terms) stands. Not with an "only"/"meant" word ("sorry i
    // meant peanuts not sesame"): offline both stay excluded, the safe side.
    var wrong = excluded.filter((c) => standing.excluded.includes(c)), right = terms.flat();
    if (wrong[0] && right[0] && !has('q allq') && right.every((t) => t.k == 'allergen') && toks.some((t) => CORRECTION_WORDS.has(t.w)) && !toks.some((t) => ONLY_WORDS.has(t.w))) return (q.excluded = right.flatMap((t) => t.p)), withdraw(q, standing, wrong);
    var bounded = diets[0] || excluded[0] || priced(q), filtered = bounded || terms[0] || neg[0];
    // conversation.py's Context.add: what this message states holds from now on.
    standing.diets = DIETS.filter((d) => diets.includes(d) || standing.diets.includes(d));
    standing.excluded = ALLERGENS.filter((c) => excluded.includes(c) || standing.excluded.includes(c));
    var asked = diets[0] || excluded[0] || q.asked;
    // A denied allergy ("my son isn't allergic to shellfish") is no constraint, and offline what
    // was excluded before stays excluded (the safe side; the server withdraws it).

    // match.py's dish_refs: the items with the best (key words, name words) score, where key words
    // are name words that are not lexicon words, so "pizza" alone names no dish and "Kids Pasta" is
    // found by search, never singled out.
    var ws = new Set(toks.flatMap((t) => (SKIP.includes(t.k) || t.k == 'num' ? [] : t.m[0] ? t.m : t.w in vocab ? [t.w] : [])));
    // Ties go to the name with the fewest words left unsaid ("lax nigiri" is not "lax nigiri deluxe").
    var scores = nameWords.map((n, hit) => (hit = n.filter((w) => ws.has(w))).filter((w) => !UNIGRAMS[w]).length * 1e4 + hit.length * 100 - (n.length - hit.length));
    var best = Math.max(1e4, ...scores), refs = scores.flatMap((s, i) => (s == best ? [i] : [])), names = new Set(refs.flatMap((i) => nameWords[i]));
    // A token's menu words: its matches, else itself.
    var tokenWords = (t) => (t.m[0] ? t.m : [t.w]);
    // "Only names" ignores stop words but not cue/frame words: "do you have X" is a search.
    var onlyNames = () => toks.every((t) => ['stop', 'join', 'or'].includes(t.k) || tokenWords(t).some((w) => names.has(w)));
    // intents.py's dish_question, for the decisions ported: allergen, price and detail
    // questions about the dishes the message names.
    // Allergens asked about by words other than the dish's own name ("does the pad thai have peanuts?").
    var askedCodes = ALLERGENS.filter((c) => toks.some((t, j) => t.k == 'allergen' && !consumed.has(j) && t.p.includes(c) && !tokenWords(t).some((w) => names.has(w))));
    // (Several dishes and a diet, "do you do a gluten free naan": which of them fit is a search.)
    var several = refs[1] && (diets[0] || excluded[0]) && !has('q allq');
    // ("har kimchi jjigae skaldjur?": one dish and an allergen asks about the dish, no cue needed.)
    // "what about the kladdkaka?", "and the mushroom rice?": another dish, asked the same
    var shifted = has('shift') || toks.find((t) => !/^(fine|stop)$/.test(t.k) && t.w != ',')?.k == 'join'; // "okej, och …"
    if (!sort && !several && refs.length && (has('allq priceq detq q') || (asked && has('pre post both')) || (!refs[1] && (onlyNames() || askedCodes[0] || shifted)))) {
      // intents.py's _asks_allergens: also "is the yellow curry ok?" while an allergy or diet
      // stands, and a shift after an allergen question or under a standing constraint.
      var asksDiet = askedCodes[0] || diets[0] || excluded[0] || ((standing.diets[0] || standing.excluded[0] || standing.topic == 'allergen_check') && (has('q') || shifted) && !has('detq priceq')), props = terms.filter((g) => !g.some((t) => tokenWords(t).some((w) => names.has(w)) || t.k == 'allergen'));
      if (!refs.some(available)) return about(refs, has('priceq') ? 'price_check' : has('allq') || asksDiet ? 'allergen_check' : 'dish_details', standing, askedCodes, diets);
      if (has('allq') && !(has('detq') && !asksDiet && !toks.some((t) => t.w.startsWith('allerg'))) || asksDiet) {
        standing.excluded = ALLERGENS.filter((c) => excluded.includes(c) || standing.excluded.includes(c));
        return about(refs, 'allergen_check', standing, askedCodes, diets);
      }
      if (has('priceq')) return about(refs, 'price_check', standing, askedCodes, diets);
      if (props[0] && has('q')) return about(refs, 'dish_details', standing, askedCodes, diets, props);
      if (!props[0] && (has('detq q') || (onlyNames() && !refs[1]))) return about(refs, 'dish_details', standing, askedCodes, diets);
    }
    // intents.py's pointed: the dish the message points at ("the second one", "does it have
    // sesame?", "how much?"): one of the last list, or the dish in focus.
    if (!refs.length && !unknown[0] && !has('hours address phone')) {
      var index = (ids) => ids.map((id) => items.findIndex((item) => item.id === id)).filter((i) => i >= 0 && available(i));
      var last = index(standing.last), focus = index(standing.focus), ord = toks.find((t) => t.k == 'ord'), target = [], pronoun = toks.some((t) => PRONOUNS.has(t.w));
      if (ord && last[0] >= 0) (v = ord.p < 0 ? last.length + ord.p : ord.p), v >= 0 && v < last.length && (target = [last[v]]);
      // ("e dom glutenfria?": them, the dishes just asked about)
      else if ((pronoun || (has('those') && !LIST_INTENTS.includes(standing.topic))) && focus[0] >= 0 && (has('q detq allq priceq pre post both') || askedCodes[0] || diets[0] || terms[0])) !sort && (target = focus);
      else if (has('priceq') && focus.length == 1 && !(terms[0] || diets[0] || excluded[0])) target = focus;
      if (target[0] >= 0 && (has('allq') || askedCodes[0] || diets[0])) return about(target, 'allergen_check', standing, askedCodes, diets);
      if (target[0] >= 0 && has('priceq')) return about(target, 'price_check', standing, askedCodes, diets);
      if (target[0] >= 0) return about(target, 'dish_details', standing, askedCodes, diets, terms[0] && terms);
      // "does it contain fish?" with no dish in focus here: never a list of fish dishes.
      if (pronoun && (has('allq detq priceq') || askedCodes[0])) return refuse(); // ("does that have celery?")
    }
    // Other questions about a named dish (is it spicy?): not offline.
    if ((!sort && !several && refs.length && (has('allq priceq detq q') || (asked && has('pre post both')) || (onlyNames() && !refs[1]))))
      return refuse();
    // "innehåller calamari skaldjur?", "hasselnötter i sticky toffee pudding?": an allergen asked of
    // a dish it cannot name offline; never the list of dishes that have it
    if ((terms[1] || unknown[0]) && terms.some((g) => g.some((t) => t.k == 'allergen')) && (has('allq q') || /^(har|has|does)$/.test(toks[0].w) || toks.some((t) => /^(in|i)$/.test(t.w)))) return refuse();
    // ("och imorgon?", "sunday?": the hours as written; the panel does not read them against the clock)
    if (!bounded) for (t of toks) if (/^(hours|address|phone)$/.test(v = t.k == 'tomorrow' && !terms[0] ? 'hours' : t.k)) return done([(t = (r[v == 'hours' ? 'openingHours' : v] || '').trim()) ? tpl(v, t) : T.nofact], [], v);
    if (filtered || sort || (has('frame those') && !has('greet thanks help'))) return search(q, standing);
    for (t of split('thanks help greet')) if (has(t)) return done([T[t]], [], t == 'greet' ? 'greeting' : t, 0, 1);
    if (has('priceq allq detq') && !unknown[0]) return done([T.help], [], 'help', 0, 1);
    return refuse();
  };
};

var engines = new WeakMap();

// conversation.py's load, for the parts the local engine continues: the reply language, the
// standing diets and exclusions, the last list and the dish in focus (item ids). Anything that is
// not a known code or an id is dropped, never trusted.
var loadContext = (raw) => {
  var ok = raw && typeof raw == 'object' && raw.v == 2, list = (v, known) => (ok && Array.isArray(v) ? known.filter((c) => v.includes(c)) : []);
  var ids = (v) => (ok && Array.isArray(v) ? v.filter(Number.isInteger).slice(0, 500) : []);
  var text = (v) => (ok && typeof v == 'string' && v.length <= L.limits.query ? v : '');
  return { lang: ok && localeOf(raw.lang), diets: list(raw?.diets, DIETS), excluded: list(raw?.excluded, ALLERGENS), last: ids(raw?.last), focus: ids(raw?.focus), topic: text(raw?.topic), query: text(raw?.query), asked: list(raw?.asked, ALLERGENS) };
};

// answer(menu, message, locale, context): menu is the menu API's JSON ({restaurant, items}),
// context the last one the server (or this engine) returned. The answer has the chat API's shape.
// Never throws: an internal error answers "unknown" with no items, which is always safe.
var answer = (menu, message, locale, context) => {
  message = typeof message == 'string' ? message : '';
  var standing = loadContext(context), reply;
  LANG = replyLanguage(message, locale, standing.lang, menu.restaurant?.locale);
  T = L.t[LANG];
  try {
    reply = (engines.get(menu) || engines.set(menu, engine(menu)).get(menu))(message, standing);
  } catch (e) {
    reply = refuse();
  }
  var { diets, excluded, last, focus, topic, query, asked } = standing, next = { ...(context?.v == 2 ? context : { v: 2 }), lang: LANG, diets, excluded, last, focus, topic, query, asked };
  return { ...reply, language: LANG, context: next };
};
