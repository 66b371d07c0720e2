/* The widget UI: one independent instance per <script data-restaurant-id> tag, rendered in an
   open Shadow DOM. Diner and menu text is only ever set with textContent. */
var UI = {
  en: { open: 'Chat about the menu', close: 'Close chat', title: 'Menu assistant', log: 'Conversation', input: 'Ask about the menu', send: 'Send', offline: 'Answering offline', contains: 'Contains:', fail: "Sorry, I can't reach the menu right now. Please try again later." },
  sv: { open: 'Chatta om menyn', close: 'Stäng chatten', title: 'Menyassistent', log: 'Konversation', input: 'Fråga om menyn', send: 'Skicka', offline: 'Svarar offline', contains: 'Innehåller:', fail: 'Tyvärr når jag inte menyn just nu. Försök igen senare.' },
};
var TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
var HISTORY = 30, CHAT_TIMEOUT_MS = 4000, TIMEOUT_BACKOFF_MS = 30000;

var CSS = ':host{all:initial}' +
  '.w{position:fixed;bottom:20px;right:20px;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;text-align:left}' +
  '.left{right:auto;left:20px}' +
  'button,input{font:inherit;color:inherit}' +
  '.f{display:block;width:56px;height:56px;margin-left:auto;border:0;border-radius:50%;background:var(--c);color:var(--t);box-shadow:0 4px 14px #0005;cursor:pointer}' +
  '.left .f{margin-left:0}' +
  '.f svg{width:28px;height:28px;fill:currentColor;vertical-align:middle}' +
  '.p{position:absolute;bottom:68px;right:0;width:min(370px,calc(100vw - 40px));height:min(540px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px #0005;overflow:hidden;animation:in .2s ease-out}' +
  '.left .p{right:auto;left:0}.p[hidden]{display:none}' +
  '@keyframes in{from{opacity:0;transform:translateY(10px)}}' +
  '.h{display:flex;align-items:center;justify-content:space-between;padding:4px 4px 4px 14px;background:var(--c);color:var(--t);font-weight:600}' +
  '.x{width:44px;height:44px;border:0;background:none;font-size:24px;cursor:pointer}' +
  '.l{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}' +
  '.m{max-width:85%;align-self:flex-start;padding:8px 11px;border-radius:12px;background:#f0f0f0;white-space:pre-line;overflow-wrap:anywhere}' +
  '.m.me{align-self:flex-end;background:var(--c);color:var(--t)}' +
  '.n{margin-top:4px;font-size:12px;font-style:italic;color:#555}' +
  '.k{margin-top:6px;padding:6px 9px;border:1px solid #ddd;border-radius:8px;background:#fff;white-space:normal}' +
  '.k b{margin-right:8px}.k small{font-size:12px;color:#444}' +
  '.b{display:inline-block;margin:3px 3px 0 0;padding:1px 7px;border-radius:10px;font-size:12px;background:#e3f1e6;color:#184d27}' +
  '.a{background:#fdeceb;color:#8a1f11}' +
  '.c{display:flex;flex-wrap:wrap;gap:6px;padding:0 12px 8px}' +
  '.c button{min-height:32px;padding:4px 10px;border:1px solid #767676;border-radius:16px;background:#fff;cursor:pointer}' +
  'form{display:flex;gap:8px;padding:8px;border-top:1px solid #ddd}' +
  'input{flex:1;min-width:0;min-height:44px;box-sizing:border-box;padding:0 10px;border:1px solid #767676;border-radius:8px;background:#fff}' +
  '.s{min-width:64px;min-height:44px;border:0;border-radius:8px;background:var(--c);color:var(--t);cursor:pointer}' +
  ':focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}' +
  '@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}';

// Element builder: attributes via setAttribute, text via textContent, never HTML.
function h(tag, attrs, kids) {
  var el = document.createElement(tag);
  for (var k in attrs) {
    if (k == 'text') el.textContent = attrs[k];
    else if (k.slice(0, 2) == 'on') el.addEventListener(k.slice(2), attrs[k]);
    else el.setAttribute(k, attrs[k]);
  }
  (kids || []).forEach((c) => c && el.appendChild(c));
  return el;
}

// Black or white text, whichever contrasts more with the brand colour (#rgb or #rrggbb).
function textColor(hex) {
  var c = hex.length == 4 ? hex.replace(/\w/g, '$&$&') : hex;
  var lum = [1, 3, 5].reduce((s, i, n) => {
    var v = parseInt(c.substr(i, 2), 16) / 255;
    return s + [0.2126, 0.7152, 0.0722][n] * (v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  }, 0);
  return lum > 0.179 ? '#000' : '#fff'; // pure black/white: always ≥ 4.5:1
}

function mount(script) {
  if (NS.widgets.some((w) => w.script == script)) return;
  var data = script.dataset, id = data.restaurantId;
  var base = (data.endpoint || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var query = '?restaurantId=' + encodeURIComponent(id), side = data.position == 'left' ? 'left' : 'right';
  var stack = NS.widgets.filter((w) => w.side == side).length; // several widgets: stack them
  var instance = { id: id, script: script, side: side };
  NS.widgets.push(instance);

  var key = (k) => 'stjarna:' + id + ':' + k;
  var load = (k) => { try { return JSON.parse(localStorage.getItem(key(k))); } catch (e) { return null; } };
  var save = (k, v) => { try { localStorage.setItem(key(k), JSON.stringify(v)); } catch (e) { /* private mode: memory only */ } };
  var token = load('token'), history = load('log');
  if (!/^[\w-]{16,128}$/.test(token)) {
    token = [].map.call(crypto.getRandomValues(new Uint8Array(24)), (b) => TOKEN_CHARS[b & 63]).join('');
    save('token', token);
  }
  history = Array.isArray(history) ? history : [];

  var menu = null, menuPromise = null, retryAt = 0, busy = false;
  // Fetch the menu (normal fetch: the browser honours its HTTP caching); null when unreachable.
  var fetchMenu = () => (menuPromise = menuPromise || request(base + '/api/public/menu' + query)
    .then((r) => (r.ok ? r.json() : null)).then((j) => (j && Array.isArray(j.items) ? (menu = j) : null), () => null)
    .then((m) => (m || (menuPromise = null), m)));

  fetchMenu().then(() => {
    var r = (menu && menu.restaurant) || {}, loc = localeOf(data.locale || r.locale), S = UI[loc];
    var color = [data.color, r.brandColor].find((c) => /^#([0-9a-f]{3}){1,2}$/i.test(c || '')) || '#2b5fab';
    var intlLocale = data.locale || r.locale || loc, currency = r.currency || 'EUR';
    var host = h('stjarna-widget'), root = host.attachShadow({ mode: 'open' });
    // The host page may style every element (`* {all: unset}`): inline !important wins.
    host.style.cssText = 'all:initial!important;display:block!important';
    try {
      var sheet = new CSSStyleSheet(); // adopted sheets work under a CSP without 'unsafe-inline'
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(h('style', { text: CSS }));
    }
    var price = (p) => {
      try {
        var digits = p % 1 ? 2 : 0;
        return new Intl.NumberFormat(intlLocale, { style: 'currency', currency: currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(p);
      } catch (e) {
        return p + ' ' + currency;
      }
    };
    var card = (item) => h('div', { class: 'k' }, [
      h('b', { text: item.name }), h('span', { text: price(+item.price) }), h('br'),
      ...itemDiets(item).map((d) => h('span', { class: 'b', text: label(loc, d) })),
      itemAllergens(item).length && h('small', { text: ' ' + S.contains + ' ' }),
      ...itemAllergens(item).map((c) => h('span', { class: 'b a', text: label(loc, c) })),
    ]);
    var show = (m) => {
      // With cards, the reply's "- Name (price)" and "…and N more" lines would repeat them.
      var text = m.items && m.items.length ? m.text.split('\n').filter((x) => !/^(- |…)/.test(x)).join('\n') : m.text;
      log.appendChild(h('div', { class: m.me ? 'm me' : 'm' }, [
        h('span', { text: text }), ...(m.items || []).map(card), m.offline && h('div', { class: 'n', text: S.offline }),
      ]));
      log.scrollTop = log.scrollHeight;
    };
    var add = (m) => {
      history = history.concat(m).slice(-HISTORY);
      save('log', history);
      show(m);
    };
    var chips = (list) => {
      chipBox.replaceChildren(...list.map((s) => h('button', { type: 'button', text: s, onclick: () => ask(s) })));
    };
    var setOpen = (open) => {
      panel.hidden = !open;
      fab.setAttribute('aria-expanded', open);
      (open ? input : fab).focus();
      log.scrollTop = log.scrollHeight;
    };

    // Ask the server; null on any failure (network, timeout, 429, 5xx, 4xx, bad JSON).
    var askServer = async (text) => {
      try {
        var r = await request(base + '/api/chat' + query, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ restaurantId: id, sessionToken: token, message: text }),
        });
        var j = await r.json();
        if (r.ok && typeof j.reply == 'string') return j;
        // Honour the rate limit's retryAfter; anything else is retried on the next message.
        if (r.status == 429) retryAt = Date.now() + 1000 * Math.min(+(j.retryAfter || (j.error || {}).retryAfter) || 10, 120);
      } catch (e) {
        if (e.name == 'AbortError') retryAt = Date.now() + TIMEOUT_BACKOFF_MS; // slow server: not every time
      }
      return null;
    };
    var ask = async (text) => {
      text = text.trim().slice(0, 500);
      if (!text || busy) return;
      busy = true;
      input.value = '';
      add({ me: 1, text: text });
      var useServer = !(menu && menu.features && menu.features.serverChat === false) && Date.now() >= retryAt;
      var res = useServer && (await askServer(text));
      if (!res) res = (await fetchMenu()) ? Object.assign(answer(menu, text, loc), { offline: 1 }) : { reply: S.fail, offline: 1 };
      // Stored items keep only what a card shows.
      add({ text: res.reply, offline: res.offline, items: (res.items || []).map((i) => ({ name: i.name, price: i.price, allergens: i.allergens, tags: i.tags })) });
      if (res.suggestions && res.suggestions.length) chips(res.suggestions);
      busy = false;
    };

    var title = h('div', { id: 't', text: r.name || S.title });
    var close = h('button', { type: 'button', class: 'x', 'aria-label': S.close, text: '×', onclick: () => setOpen(false) });
    var log = h('div', { class: 'l', role: 'log', 'aria-live': 'polite', 'aria-label': S.log, tabindex: '0' });
    var chipBox = h('div', { class: 'c' });
    var input = h('input', { type: 'text', maxlength: '500', autocomplete: 'off', 'aria-label': S.input, placeholder: S.input });
    var form = h('form', { onsubmit: (e) => { e.preventDefault(); ask(input.value); } }, [input, h('button', { class: 's', text: S.send })]);
    var panel = h('div', { class: 'p', role: 'dialog', 'aria-labelledby': 't', hidden: '' }, [h('div', { class: 'h' }, [title, close]), log, chipBox, form]);
    var fab = h('button', { type: 'button', class: 'f', 'aria-label': S.open, 'aria-expanded': 'false', onclick: () => setOpen(panel.hidden) });
    var icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    icon.appendChild(document.createElementNS(icon.namespaceURI, 'path')).setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z');
    fab.appendChild(icon);
    var wrap = h('div', { class: 'w ' + side, lang: loc, onkeydown: (e) => e.key == 'Escape' && !panel.hidden && (e.stopPropagation(), setOpen(false)) }, [panel, fab]);
    wrap.style.setProperty('--c', color);
    wrap.style.setProperty('--t', textColor(color));
    wrap.style.bottom = 20 + 72 * stack + 'px';
    root.appendChild(wrap);
    show({ text: r.greeting || tpl(loc, 'greet') });
    history.forEach(show);
    chips(suggestions(loc));
    (document.body || document.documentElement).appendChild(host);
    Object.assign(instance, { root: root, open: () => setOpen(true), ask: ask });
  });
}

// fetch() that gives up after CHAT_TIMEOUT_MS (it then rejects with an AbortError).
function request(url, options) {
  var ctl = new AbortController(), timer = setTimeout(() => ctl.abort(), CHAT_TIMEOUT_MS);
  return fetch(url, Object.assign({ signal: ctl.signal }, options)).finally(() => clearTimeout(timer));
}
