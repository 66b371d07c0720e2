/* Start: the panel joins window.Stjarna (set up by the loader, or on its own when the panel is
   loaded alone, as the engine tests do): the local engine and the function the loader's button
   calls. */
var NS = (window.Stjarna = window.Stjarna || { widgets: [] });
Object.assign(NS, { answer, openPanel });
