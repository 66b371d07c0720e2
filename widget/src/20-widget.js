/* The widget UI: one independent instance per <script data-restaurant-id> tag, rendered in an
   open Shadow DOM. Diner and menu text is only ever set with textContent. */
// UI strings: open (also the title without a menu), close, log, input, send, offline note,
// "Contains:", no-menu failure.
var UI = {
  en: "Chat about the menu|Close chat|Chat|Ask about the menu|Send|Answering offline|Contains:|The menu can't be reached right now.",
  sv: 'Chatta om menyn|Stäng chatten|Chatt|Fråga om menyn|Skicka|Svarar offline|Innehåller:|Menyn nås inte just nu.',
};
var CSS = '.w,.p{display:flex;flex-direction:column}.w{position:fixed;z-index:2147483000;align-items:end;gap:9px;font:15px/1.4 system-ui;color:#111}.left{align-items:start}button,input{font:inherit;min-height:44px;padding:0 12px;border:1px solid;border-radius:8px}.f{width:56px;border-radius:50%;font-size:24px}.p{width:min(370px,90vw);height:min(540px,80vh);background:#fff;border:1px solid;border-radius:12px;overflow:hidden}[hidden]{display:none!important}.h{display:flex;padding-left:12px;font-weight:bold;line-height:44px}.x{width:44px;margin-left:auto}.l{flex:1;overflow:auto;padding:8px}.m{width:fit-content;max-width:85%;margin-bottom:8px;padding:8px;border-radius:12px;background:#eee;white-space:pre-line;overflow-wrap:anywhere}.me{margin-left:auto}button,.h,.me{background:var(--c);color:var(--t)}.n,.b{font-size:12px}.k{margin-top:6px;padding:6px;background:#fff}.b{margin:3px;padding:0 6px;border-radius:9px;background:#dfd}.a{background:#fdd}.c,form{display:flex;flex-wrap:wrap;gap:6px;padding:8px}.c button,input{background:#fff;color:#111}input{flex:1}:focus-visible{outline:3px solid #1a5fb4}';

// Element builder (buttons outside the form need no type): attributes via setAttribute, "text" via
// textContent, "onX" as listeners (no attribute starts with "o"), children appended; never HTML.
var h = (tag, attrs, ...kids) => {
  var el = document.createElement(tag);
  for (var k in attrs) k == 'text' ? (el.textContent = attrs[k]) : k[0] == 'o' ? el.addEventListener(k.slice(2), attrs[k]) : el.setAttribute(k, attrs[k]);
  el.append(...kids.filter((c) => c));
  return el;
};

// Black or white text, whichever contrasts more with the brand colour (#rgb or #rrggbb): the
// relative luminance threshold where both give the same ratio, so it is always >= 4.5:1.
var textColor = (hex) => (hex[4] ? hex : hex.replace(/\w/g, '$&$&')).match(/\w\w/g).reduce((s, x, i) =>
  s + [0.2126, 0.7152, 0.0722][i] * ((x = parseInt(x, 16) / 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4), 0) > 0.179 ? '#000' : '#fff';

// fetch() that gives up after 4 s (it then rejects with a TimeoutError).
var request = (url, options) => fetch(url, { signal: AbortSignal.timeout(4e3), ...options });

var mount = (script) => {
  if (NS.widgets.some((w) => w.script == script)) return;
  var data = script.dataset, id = data.restaurantId, side = data.position == 'left' ? 'left' : 'right';
  var base = (data.endpoint || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var query = '?restaurantId=' + encodeURIComponent(id), stack = NS.widgets.filter((w) => w.side == side).length;
  var instance = { id, script, side }, menu, menuPromise, retryAt = 0, busy;
  NS.widgets.push(instance); // several widgets on one page stack upwards

  // localStorage, or memory only where it is unavailable (private modes).
  // store(k) reads, store(k, v) writes.
  var store = (k, v) => {
    try {
      return (k = 'stjarna:' + id + ':' + k), v ? localStorage.setItem(k, JSON.stringify(v)) : JSON.parse(localStorage.getItem(k));
    } catch (e) { /* memory only */ }
  };
  var token = store('token'), history = store('log');
  // 128 random bits as four decimal numbers joined by "-" (getRandomValues also works on http pages).
  /^[\w-]{16,128}$/.test(token) || store('token', (token = crypto.getRandomValues(new Uint32Array(4)).join('-')));
  history = Array.isArray(history) ? history : [];

  // The menu, fetched once (an ordinary fetch: HTTP caching applies); null when unreachable.
  var fetchMenu = () => (menuPromise ||= request(base + '/api/public/menu' + query)
    .then((r) => r.json()).then((j) => (Array.isArray(j.items) ? (menu = j) : (menuPromise = null))).catch(() => (menuPromise = null)));

  fetchMenu().then(() => {
    var r = menu?.restaurant || {}, lang = data.locale || r.locale, loc = /^sv([-_]|$)/i.test(lang) ? 'sv' : 'en', S = UI[loc].split('|');
    var color = [data.color, r.brandColor].find((c) => /^#([\da-f]{3}){1,2}$/i.test(c)) || '#2b5fab';
    var currency = r.currency || 'EUR', host = h('stjarna-widget'), root = host.attachShadow({ mode: 'open' });
    // The host page may style every element (`* {all: unset}`): inline !important wins.
    host.style.cssText = 'all:initial!important;display:block!important';
    (root.adoptedStyleSheets = [new CSSStyleSheet()])[0].replaceSync(CSS); // no 'unsafe-inline' CSP needed
    var card = (item) => {
      var al = itemAllergens(item), badge = (c, cls) => h('span', { class: cls, text: label(c, loc) });
      return h('div', { class: 'k' }, h('b', { text: item.name }), h('span', { text: ' ' + money(+item.price, currency) }), h('br'),
        ...itemDiets(item).map((d) => badge(d, 'b')), al[0] && h('small', { text: ' ' + S[6] + ' ' }), ...al.map((c) => badge(c, 'b a')));
    };
    var show = (m) => {
      var items = m.items || [];
      // With cards, the reply's "- Name (price)" and "…and N more" lines would repeat them.
      log.append(h('div', { class: m.me ? 'm me' : 'm' },
        h('span', { text: items[0] ? m.text.split('\n').filter((x) => !/^(- |…)/.test(x)).join('\n') : m.text }),
        ...items.map(card), m.offline && h('div', { class: 'n', text: S[5] })));
      scroll();
    };
    var scroll = () => (log.scrollTop = log.scrollHeight);
    var add = (m) => {
      store('log', (history = history.concat(m).slice(-30)));
      show(m);
    };
    var chips = (list) => chipBox.replaceChildren(...list.map((s) => h('button', { text: s, onclick: () => ask(s) })));
    var setOpen = (open) => {
      panel.hidden = !open;
      fab.setAttribute('aria-expanded', !panel.hidden);
      (open ? input : fab).focus();
      scroll();
    };

    // Ask the server; undefined on any failure (network, timeout, 429, 5xx, 4xx, bad JSON).
    var askServer = async (message) => {
      try {
        var res = await request(base + '/api/chat' + query, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ restaurantId: id, sessionToken: token, message }),
        }), j = await res.json();
        if (res.ok && typeof j.reply == 'string') return j;
        // Honour the rate limit's retryAfter; anything else is retried on the next message.
        if (res.status == 429) retryAt = Date.now() + 1e3 * Math.min(+(j.retryAfter || j.error?.retryAfter) || 10, 120);
      } catch (e) {
        if (e.name == 'TimeoutError') retryAt = Date.now() + 3e4; // slow server: not every time
      }
    };
    var ask = async (text) => {
      text = text.trim().slice(0, 500);
      if (!text || busy) return;
      busy = 1;
      input.value = '';
      add({ me: 1, text });
      var res = (menu?.features?.serverChat !== false && Date.now() >= retryAt && (await askServer(text))) ||
        ((await fetchMenu()) ? { ...answer(menu, text), offline: 1 } : { reply: S[7], offline: 1 });
      add({ text: res.reply, offline: res.offline, items: res.items });
      res.suggestions?.[0] && chips(res.suggestions);
      busy = 0;
    };

    var input = h('input', { maxlength: 500, autocomplete: 'off', 'aria-label': S[3], placeholder: S[3] });
    var log = h('div', { class: 'l', role: 'log', 'aria-live': 'polite', 'aria-label': S[2], tabindex: 0 });
    var chipBox = h('div', { class: 'c' });
    var panel = h('div', { class: 'p', role: 'dialog', 'aria-labelledby': 't', hidden: '' },
      h('div', { class: 'h' }, h('div', { id: 't', text: r.name || S[0] }), h('button', { class: 'x', 'aria-label': S[1], text: '×', onclick: () => setOpen() })),
      log, chipBox,
      h('form', { onsubmit: (e) => (e.preventDefault(), ask(input.value)) }, input, h('button', { text: S[4] })));
    var fab = h('button', { class: 'f', 'aria-label': S[0], 'aria-expanded': false, text: '\u{1f4ac}', onclick: () => setOpen(panel.hidden) });
    var wrap = h('div', { class: 'w ' + side, lang: loc, onkeydown: (e) => e.key == 'Escape' && !panel.hidden && (e.stopPropagation(), setOpen()) }, panel, fab);
    wrap.style.cssText = '--c:' + color + ';--t:' + textColor(color) + ';bottom:' + (20 + 72 * stack) + 'px;' + side + ':20px';
    root.append(wrap);
    show({ text: r.greeting || T.greet });
    history.forEach(show);
    chips(L.t[loc].sug.split('|'));
    (document.body || document.documentElement).append(host);
    Object.assign(instance, { root, open: () => setOpen(1), ask });
  });
};
