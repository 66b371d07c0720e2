/* Start: the one global is window.Stjarna (the local engine, the intents it answers offline, and
   the mounted widgets), shared by every copy of the script on the page; each copy mounts the
   widget of its own <script> tag. */
var NS = (window.Stjarna = window.Stjarna || { answer, intents: INTENTS, widgets: [] });
var current = document.currentScript; // only set while this script first runs: read it now
if (current?.dataset.restaurantId) mount(current);
else document.querySelectorAll('script[data-restaurant-id][src]').forEach(mount);
