/* Start: the one global is window.Stjarna (the local engine and the mounted widgets), shared by
   every copy of the script on the page; each copy mounts the widget of its own <script> tag. */
var NS = (window.Stjarna = window.Stjarna || { answer: answer, widgets: [] });
var current = document.currentScript; // only set while this script first runs: read it now
if (current && current.dataset.restaurantId) mount(current);
else [].forEach.call(document.querySelectorAll('script[data-restaurant-id][src]'), mount);
