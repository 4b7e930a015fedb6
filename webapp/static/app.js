// Partnership Hub's own script: only what htmx attributes cannot say without eval.
// Served from our static folder; the Content-Security-Policy allows nothing inline.

// Escape in a form that can be cancelled (data-cancel names its Cancel control)
// cancels it, as a person expects of an edit in place.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const form = event.target.closest && event.target.closest("form[data-cancel]");
  if (!form) return;
  const cancel = document.querySelector(form.dataset.cancel);
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});

// When a panel opened under a row is closed (History, Add evidence), the keyboard
// goes back to the button that opened it instead of falling to the page's top.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (!target || !target.classList.contains("slot") || target.childElementCount) return;
  const opener = document.querySelector(`[hx-target="#${target.id}"]`);
  if (opener) opener.focus();
});
