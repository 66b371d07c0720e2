/* The loader (/widget.js): what every page view runs. It reads its <script> tag, mounts the chat
   button in an open Shadow DOM and loads the panel (the chat UI and the local engine, a hashed file
   under /static/) when the diner reaches for the button or the browser is idle. It writes no
   storage and makes no API request: the panel does that once the diner opens the chat.
   The one global is window.Stjarna, shared by every copy of the widget on the page. */
var NS = (window.Stjarna = window.Stjarna || { widgets: [] });
var PANEL_PATH = '__PANEL__'; // STATIC_URL + widget-panel.<hash>.js (widget/bundle.py)
var LABELS = { en: 'Chat about the menu', sv: 'Chatta om menyn' };
// A speech bubble (24×24 viewBox), drawn with the button's text colour.
var ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z';
var BUTTON_CSS = '.w{position:fixed;z-index:2147483000;display:flex;flex-direction:column;align-items:end;gap:9px;font:15px/1.4 system-ui,sans-serif;color:#111}.left{align-items:start}.f{width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--c);color:var(--t);box-shadow:0 2px 8px #0004;cursor:pointer;display:grid;place-items:center}.f svg{width:28px;height:28px;fill:currentColor}.f:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}[hidden]{display:none!important}';
// The panel's styles ride here, in the shadow root's one sheet from the start: they cost the
// loader 0.8 KB of its 4 and leave the panel's 16 KB to the local engine (docs/widget.md).
var PANEL_CSS = '.p{display:flex;flex-direction:column;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 110px));background:#fff;color:#111;border:1px solid #8889;border-radius:14px;overflow:hidden}' +
  'button,input{font:inherit;min-height:44px;border-radius:8px}button{cursor:pointer;padding:0 12px;border:1px solid #0000;background:var(--c);color:var(--t)}' +
  '.h{display:flex;align-items:center;gap:4px;padding:0 4px 0 14px;background:var(--c);color:var(--t);font-weight:600}.h div{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.h button{min-width:44px;font-size:14px;border-color:currentColor}.h .x{font-size:22px;border:0}' +
  '.l{position:relative;flex:1;overflow:auto;padding:10px}.m{width:fit-content;max-width:88%;margin:0 0 10px;padding:8px 11px;border-radius:12px;background:#f0f0f0;white-space:pre-line;overflow-wrap:break-word}.me{margin-left:auto;background:var(--c);color:var(--t)}' +
  '.n{margin-top:6px;font-size:13px;color:#444}.k{margin-top:8px;padding:8px;border:1px solid #ccc;border-radius:10px;background:#fff;white-space:normal}.k p{margin:2px 0 0;display:flex;flex-wrap:wrap;gap:4px;align-items:center;font-size:13px}.pr{float:right;margin-left:8px}' +
  '.b,.g{white-space:nowrap}.b{display:inline-block;padding:1px 7px;border-radius:9px;background:#dcefdc;color:#123d12}.a{background:#fde2e2;color:#6b1111}.t{background:#e6e6f4;color:#222a55}.mc{background:#fff0cc;color:#5a3d00}' +
  '.warn{border:2px solid #b3261e;background:#fff6f5}.warn strong{display:block;color:#8c1d18;font-size:13px}.more,.c *{background:#fff;color:#111;border:1px solid #888}.more{margin-top:8px;width:100%}' +
  '.typing{color:#444;animation:d 1s infinite alternate}@keyframes d{to{opacity:.4}}' +
  '.sr{position:absolute;clip-path:inset(50%)}.hint{padding:0 10px;font-size:13px;color:#8c1d18}' +
  '.c{display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px}.c:empty,.hint:empty{display:none}.c *{padding:0 12px;border-radius:22px;font-size:14px;text-decoration:none;display:inline-flex;align-items:center;min-height:44px}' +
  'form{display:flex;gap:6px;padding:8px 10px 10px;border-top:1px solid #ddd}input{flex:1;min-width:0;padding:0 12px;border:1px solid #777;background:#fff;color:#111}' +
  ':focus-visible{outline:3px solid #1a5fb4;outline-offset:1px}' +
  '@media (max-width:480px){.w.open{inset:0!important}.open .p{position:fixed;left:0;top:0;width:100vw;height:100%;border:0;border-radius:0}.open .f{display:none}}';
var DEFAULT_COLOR = '#2b5fab';

// Black or white text, whichever contrasts more with the brand colour (#rgb or #rrggbb): the
// relative luminance threshold where both give the same ratio, so it is always >= 4.5:1.
var textColor = (hex) => (hex[4] ? hex : hex.replace(/\w/g, '$&$&')).match(/\w\w/g).reduce((sum, x, i) =>
  sum + [0.2126, 0.7152, 0.0722][i] * ((x = parseInt(x, 16) / 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4), 0) > 0.179 ? '#000' : '#fff';
var isColor = (c) => /^#([\da-f]{3}){1,2}$/i.test(c);
var uiLanguage = (locale) => (/^sv([-_]|$)/i.test(locale) ? 'sv' : 'en');

// The panel script, loaded once per page (every widget on the page shares it).
var panelLoading;
var loadPanel = (base) => (panelLoading ||= new Promise((resolve, reject) => {
  var script = document.createElement('script');
  script.src = new URL(PANEL_PATH, base + '/').href;
  script.async = true;
  script.onload = () => (NS.openPanel ? resolve() : reject());
  script.onerror = () => ((panelLoading = null), script.remove(), reject());
  (document.head || document.documentElement).append(script);
}));

var mount = (script) => {
  if (NS.widgets.some((w) => w.script == script)) return;
  var data = script.dataset, side = data.position == 'left' ? 'left' : 'right';
  var base = (data.endpoint || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var stack = NS.widgets.filter((w) => w.side == side).length, loc = uiLanguage(data.locale || document.documentElement.lang);
  var color = isColor(data.color) ? data.color : DEFAULT_COLOR;
  var host = document.createElement('stjarna-widget'), root = host.attachShadow({ mode: 'open' });
  // The host page may style every element (`* {all: unset}`): inline !important wins.
  host.style.cssText = 'all:initial!important;display:block!important';
  (root.adoptedStyleSheets = [new CSSStyleSheet()])[0].replaceSync(BUTTON_CSS + PANEL_CSS); // no 'unsafe-inline' CSP needed
  var wrap = document.createElement('div'), fab = document.createElement('button');
  var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg'), path = document.createElementNS(svg.namespaceURI, 'path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', ICON);
  svg.append(path);
  fab.className = 'f';
  fab.type = 'button';
  fab.setAttribute('aria-label', LABELS[loc]);
  fab.setAttribute('aria-expanded', 'false');
  fab.append(svg);
  wrap.className = 'w ' + side;
  wrap.lang = loc;
  wrap.style.cssText = '--c:' + color + ';--t:' + textColor(color) + ';bottom:' + (20 + 72 * stack) + 'px;' + side + ':20px';
  wrap.append(fab);
  root.append(wrap);
  var widget = { id: data.restaurantId, script, side, base, data, loc, host, root, wrap, fab, textColor, isColor };
  NS.widgets.push(widget); // several widgets on one page stack upwards
  var preload = () => loadPanel(base).catch(() => 0);
  fab.addEventListener('pointerenter', preload);
  fab.addEventListener('focus', preload);
  fab.addEventListener('click', () => loadPanel(base).then(() => NS.openPanel(widget), () => 0));
  (document.body || document.documentElement).append(host);
  // Idle: fetch the panel script only (a static file, no API request, no storage).
  window.requestIdleCallback ? requestIdleCallback(preload, { timeout: 4e3 }) : setTimeout(preload, 2e3);
};

var current = document.currentScript; // only set while this script first runs: read it now
if (current?.dataset.restaurantId) mount(current);
else document.querySelectorAll('script[data-restaurant-id][src]').forEach(mount);
