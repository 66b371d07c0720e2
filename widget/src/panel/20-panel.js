/* The chat panel: built inside the Shadow DOM the loader mounted, the first time the diner opens
   it. Only then are the menu fetched, storage read and written, and questions sent. Diner and menu
   text is only ever set with textContent. */
var UI = {
  en: {
    title: 'Chat about the menu', close: 'Close chat', log: 'Conversation', input: 'Ask about the menu', send: 'Send',
    fresh: 'New conversation', typing: 'Typing…', wait: 'Still answering; your text is kept.',
    own: 'Answering on my own from the menu on this page.',
    busy: 'Lots of questions at once: answering from the menu on this page for about {n} s.',
    contains: 'Contains:', mayContain: 'May contain:', warn: 'Not suitable for you', notTagged: 'Not marked {diet}',
    noInfo: 'No allergen information', showAll: 'Show all {n}', call: 'Call the restaurant',
    noMenu: "The menu can't be reached right now. Try again soon.",
    notAllowed: "This chat isn't available on this website yet.",
  },
  sv: {
    title: 'Chatta om menyn', close: 'Stäng chatten', log: 'Konversation', input: 'Fråga om menyn', send: 'Skicka',
    fresh: 'Ny konversation', typing: 'Skriver…', wait: 'Jag svarar fortfarande; texten finns kvar.',
    own: 'Svarar på egen hand utifrån menyn på sidan.',
    busy: 'Många frågor på en gång: jag svarar utifrån menyn på sidan i cirka {n} s.',
    contains: 'Innehåller:', mayContain: 'Kan innehålla:', warn: 'Passar inte dig', notTagged: 'Inte märkt {diet}',
    noInfo: 'Allergeninformation saknas', showAll: 'Visa alla {n}', call: 'Ring restaurangen',
    noMenu: 'Menyn nås inte just nu. Försök snart igen.',
    notAllowed: 'Chatten är inte tillgänglig på den här webbplatsen än.',
  },
};
var CARDS_SHOWN = 3; // the rest behind "show all N"
var HISTORY_KEPT = 30;

// Element builder: attributes via setAttribute, "text" via textContent, "onX" as listeners (no
// attribute starts with "o"), children appended; never HTML.
var h = (tag, attrs, ...kids) => {
  var el = document.createElement(tag);
  for (var k in attrs) k == 'text' ? (el.textContent = attrs[k]) : k[0] == 'o' ? el.addEventListener(k.slice(2), attrs[k]) : el.setAttribute(k, attrs[k]);
  el.append(...kids.filter((c) => c));
  return el;
};
var fill = (text, n) => text.replace(/{\w+}/, n);
// A tag slug as a label: diets by the lexicon's labels, others "gluten-free" → "Gluten free".
var tagLabel = (tag, loc) => (CODES.includes(tag) ? label(tag, loc) : tag[0].toUpperCase() + tag.slice(1).replace(/[-_]/g, ' '));

// fetch() that gives up after 6 s (it then rejects with a TimeoutError).
var request = (url, options) => fetch(url, { signal: AbortSignal.timeout(6e3), ...options });

var buildPanel = (widget) => {
  var { id, base, data, root, wrap, fab } = widget;
  var query = '?restaurantId=' + encodeURIComponent(id), menu, menuPromise, retryAt = 0, busy, blocked;
  var loc = widget.loc, S = UI[loc], context = {}, token, history = [];

  // localStorage, or memory only where it is unavailable (private modes): read(k) / write(k, v).
  var key = (k) => 'stjarna:' + id + ':' + k;
  var read = (k) => {
    try {
      return JSON.parse(localStorage.getItem(key(k)));
    } catch (e) { /* memory only */ }
  };
  var write = (k, v) => {
    try {
      v == null ? localStorage.removeItem(key(k)) : localStorage.setItem(key(k), JSON.stringify(v));
    } catch (e) { /* memory only */ }
  };
  token = read('token');
  history = Array.isArray(read('log')) ? read('log') : [];
  context = read('context') || {};

  // The menu, fetched once per page (HTTP caching applies); null when unreachable.
  var fetchMenu = () => (menuPromise ||= request(base + '/api/public/menu' + query)
    .then((r) => r.json()).then((j) => (Array.isArray(j.items) ? (menu = j) : (menuPromise = null)))
    .catch(async () => {
      menuPromise = null;
      // A CORS refusal and a network failure look alike; an opaque request tells them apart.
      if (await fetch(base + '/api/health', { mode: 'no-cors' }).then(() => 1, () => 0)) notAllowed();
    }));
  var notAllowed = () => {
    if (blocked) return;
    blocked = 1;
    console.warn('Stjarna: add ' + location.origin + ' to restaurant ' + id + '\'s "Websites that can show the chat" in the admin.');
  };

  var setLanguage = (language) => {
    if (!UI[language] || language == loc) return;
    loc = language;
    S = UI[loc];
    wrap.lang = loc;
    input.placeholder = S.input;
    input.setAttribute('aria-label', S.input);
    log.setAttribute('aria-label', S.log);
    send.textContent = S.send;
    fresh.textContent = S.fresh;
    close.setAttribute('aria-label', S.close);
  };

  // One dish card; a flagged dish is a warning card that says why it does not fit. "Not suitable
  // for you" only when one of the diner's standing diets or allergies (`mine`) is the reason;
  // otherwise the heading says only what is known ("⚠ Contains: Peanuts").
  var card = (item, flagged, mine) => {
    var allergens = itemAllergens(item), traces = (item.mayContain || []).filter((c) => CODES.includes(c));
    var badge = (text, cls) => h('span', { class: 'b ' + cls, text });
    // The label and its first badge never part: "Contains:" never stands alone on a line.
    var group = (title, codes, cls) => codes[0] && [h('span', { class: 'g' }, title + ' ', badge(label(codes[0], loc), cls)), ...codes.slice(1).map((c) => badge(label(c, loc), cls))];
    var tags = itemDiets(item).concat((item.tags || []).filter((t) => !DIETS.includes(t)));
    var reasons = flagged && item.conflicts.map((c) => (DIETS.includes(c) ? fill(S.notTagged, label(c, loc)) :
      (item.mayContain || []).includes(c) && !(item.allergens || []).includes(c) ? S.mayContain + ' ' + label(c, loc) :
        c == 'undeclared' || !item.allergensDeclared && !allergens[0] ? S.noInfo : S.contains + ' ' + label(c, loc)));
    return h('div', { class: flagged ? 'k warn' : 'k' },
      // Each reason on one line ("Contains: Peanuts" never splits).
      flagged && h('strong', {}, '⚠ ' + (item.conflicts.some((c) => mine?.includes(c)) ? S.warn + ': ' : ''), ...[...new Set(reasons)].map((x, i) => h('span', { class: 'g', text: (i ? ', ' : '') + x }))),
      h('span', { class: 'pr', text: money(+item.price, menu?.restaurant?.currency) }), h('b', { text: item.name }),
      h('p', {}, ...tags.map((t) => badge(tagLabel(t, loc), DIETS.includes(t) ? '' : 't')),
        ...(group(S.contains, allergens, 'a') || []), ...(group(S.mayContain, traces, 'mc') || []),
        item.allergensDeclared === false && !flagged && badge(S.noInfo, 'mc')));
  };
  // A message: the reply text first, then a few cards and "show all N", then warnings.
  var show = (m) => {
    var items = m.items || [], flagged = m.flagged || [], cards = h('div');
    var text = items[0] || flagged[0] ? m.text.split('\n').filter((x) => !/^(- |…)/.test(x)).join('\n') : m.text;
    var el = h('div', { class: m.me ? 'm me' : 'm' }, h('span', { class: 'r', text }), cards);
    items.slice(0, CARDS_SHOWN).forEach((item) => cards.append(card(item)));
    if (items[CARDS_SHOWN]) {
      var more = h('button', { class: 'more', type: 'button', text: fill(S.showAll, items.length), onclick: () => {
        items.slice(CARDS_SHOWN).forEach((item) => cards.append(card(item)));
        more.remove();
        scrollTo(el); // the reply's first line stays in view, the new cards below it
      } });
      el.append(more);
    }
    flagged.forEach((item) => el.append(card(item, 1, m.mine)));
    if (m.note) el.append(h('div', { class: 'n', text: m.note }));
    log.append(el);
    return el;
  };
  var remember = (m) => {
    history = history.concat(m).slice(-HISTORY_KEPT);
    write('log', history);
  };
  // The new answer's first line at the top of the log (the reply text, not the last card).
  var scrollTo = (el) => (log.scrollTop = el.offsetTop - 8);
  // Chips from the last answer's suggestions; when nothing was found, the restaurant's phone too.
  var chips = (list, phone) => chipBox.replaceChildren(...list.map((s) => h('button', { type: 'button', text: s, onclick: () => ask(s) })),
    ...(phone ? [h('a', { href: 'tel:' + phone.replace(/[^\d+]/g, ''), text: S.call })] : []));

  // Ask the server: its answer, or {fallback: note} on any failure (network, timeout, 429, 5xx).
  var askServer = async (message) => {
    try {
      var res = await request(base + '/api/chat' + query, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ restaurantId: id, sessionToken: token, message, locale: data.locale || loc }),
      }), j = await res.json();
      if (res.ok && typeof j.reply == 'string') return j;
      if (j.error?.code == 'origin_not_allowed') return notAllowed(), { blocked: 1 };
      if (res.status == 429) {
        var wait = Math.min(+(j.retryAfter || j.error?.retryAfter) || 10, 120);
        retryAt = Date.now() + 1e3 * wait;
        return { fallback: fill(S.busy, wait) };
      }
    } catch (e) {
      if (e.name == 'TimeoutError') retryAt = Date.now() + 3e4; // a slow server: not every time
    }
    return { fallback: S.own };
  };
  var ask = async (text) => {
    text = text.trim().slice(0, 500);
    if (!text) return;
    if (busy) return (hint.textContent = S.wait); // the text stays in the field
    busy = 1;
    hint.textContent = '';
    input.value = '';
    if (!/^[\w.-]{16,128}$/.test(token)) write('token', (token = crypto.getRandomValues(new Uint32Array(4)).join('-')));
    var mine = { me: 1, text };
    remember(mine);
    scrollTo(show(mine));
    var typing = h('div', { class: 'm typing', text: S.typing }); // "Typing…", pulsing
    log.append(typing);
    await fetchMenu(); // features.serverChat decides whether the server is asked at all
    var res = menu?.features?.serverChat === false || Date.now() < retryAt || blocked ? { fallback: retryAt > Date.now() ? fill(S.busy, Math.ceil((retryAt - Date.now()) / 1e3)) : S.own } : await askServer(text);
    if (res.fallback && !blocked) {
      var note = res.fallback;
      res = (await fetchMenu()) ? answer(menu, text, data.locale || loc, context) : { reply: blocked ? S.notAllowed : S.noMenu, suggestions: [] };
      res.note = menu && note;
    } else if (res.blocked || blocked) res = { reply: S.notAllowed, suggestions: [] };
    typing.remove();
    var switched = res.language && res.language != loc;
    setLanguage(res.language);
    if (res.context) write('context', (context = res.context)); // only to continue offline
    // The diner's standing diets and allergies, as the answer's context holds them.
    var m = { text: res.reply, items: res.items, flagged: res.flagged, note: res.note, mine: [...(context.diets || []), ...(context.excluded || [])] };
    remember(m);
    scrollTo(show(m));
    var phone = !blocked && (res.answered === false || res.intent == 'unknown') && menu?.restaurant?.phone;
    // Chips follow the answer (and its language: the opening ones again when it switched).
    res.suggestions?.[0] || phone ? chips(res.suggestions || [], phone) : switched && chips(L.t[loc].sug.split('|'));
    busy = 0;
  };
  var startOver = () => {
    history = [];
    context = {};
    token = null;
    ['log', 'context', 'token'].forEach((k) => write(k));
    log.replaceChildren();
    greet();
    input.focus();
  };
  var greet = () => {
    show({ text: menu?.restaurant?.greeting || L.t[loc].greet });
    chips(L.t[loc].sug.split('|'));
  };

  var input = h('input', { maxlength: 500, autocomplete: 'off', enterkeyhint: 'send', 'aria-label': S.input, placeholder: S.input });
  var log = h('div', { class: 'l', role: 'log', 'aria-live': 'polite', 'aria-label': S.log, tabindex: 0 });
  var chipBox = h('div', { class: 'c' }), hint = h('div', { class: 'hint', role: 'status' });
  var title = h('div', { id: 'stjarna-title', text: S.title });
  var send = h('button', { text: S.send });
  var fresh = h('button', { type: 'button', text: S.fresh, onclick: startOver });
  var close = h('button', { type: 'button', class: 'x', 'aria-label': S.close, text: '×', onclick: () => setOpen() });
  var panel = h('div', { class: 'p', role: 'dialog', 'aria-labelledby': 'stjarna-title', hidden: '' },
    h('div', { class: 'h' }, title, fresh, close), log, chipBox, hint,
    h('form', { onsubmit: (e) => (e.preventDefault(), ask(input.value)) }, input, send));
  wrap.prepend(panel);
  wrap.addEventListener('keydown', (e) => e.key == 'Escape' && !panel.hidden && (e.stopPropagation(), setOpen()));

  // On a phone the panel fills the visual viewport, so the input stays above the keyboard.
  var phone = matchMedia('(max-width: 480px)'), viewport = window.visualViewport;
  var fit = () => {
    var full = phone.matches && !panel.hidden && viewport;
    panel.style.height = full ? viewport.height + 'px' : '';
    panel.style.top = full ? viewport.offsetTop + 'px' : '';
  };
  viewport?.addEventListener('resize', fit);
  viewport?.addEventListener('scroll', fit);

  var setOpen = (open) => {
    panel.hidden = !open;
    wrap.classList.toggle('open', !!open);
    fab.setAttribute('aria-expanded', !!open);
    fit();
    (open ? input : fab).focus();
  };
  greet();
  history.forEach(show);
  var opened = fetchMenu().then(() => {
    var r = menu?.restaurant || {};
    title.textContent = r.name || S.title;
    if (!data.color && widget.isColor(r.brandColor)) wrap.style.setProperty('--c', r.brandColor), wrap.style.setProperty('--t', widget.textColor(r.brandColor));
    if (r.greeting && !history[0]) log.firstChild.firstChild.textContent = r.greeting;
    if (blocked) show({ text: S.notAllowed });
  });
  return { open: () => (setOpen(1), log.lastChild && scrollTo(log.lastChild), opened), toggle: () => setOpen(panel.hidden), ask, opened };
};

// Called by the loader's button: the panel of that widget, built on first use, opened or closed.
var openPanel = (widget) => {
  if (widget.panel) return widget.panel.toggle();
  widget.panel = buildPanel(widget);
  return widget.panel.open();
};
