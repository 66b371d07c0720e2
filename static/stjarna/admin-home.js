/* The owner's home on the admin index: copy buttons for the embed snippet. No framework. */
document.addEventListener('click', (event) => {
  var button = event.target.closest('.copy-snippet');
  if (!button) return;
  var code = document.getElementById(button.dataset.copy);
  var status = button.parentElement.querySelector('.copy-status');
  var text = code.textContent;
  var done = (ok) => { status.textContent = ok ? 'Copied' : 'Select the line and copy it'; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
    return;
  }
  // Plain-HTTP pages (development) have no clipboard API: copy a selection instead.
  var range = document.createRange();
  range.selectNodeContents(code);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  try { done(document.execCommand('copy')); } catch (e) { done(false); }
});
