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

// A page link (macros/_pager.html) swaps only its list: the keyboard and the view go to
// the new page's first heading, as they would to the top after a whole page load,
// instead of staying at the foot of a list that is no longer there.
document.addEventListener("htmx:afterSettle", (event) => {
  const link = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!link || !link.hasAttribute || !link.hasAttribute("data-page-link")) return;
  const list = document.querySelector(link.getAttribute("hx-target"));
  const heading = list && list.querySelector("h2, h3");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
});

// Links that act as buttons (role="button": Show details, Edit, History...) stay links so
// they work without scripts; a button also answers Space, which on a link scrolls the
// page. As a button does, Space is taken on the way down and acts on the way up.
let spaceOn = null;
document.addEventListener("keydown", (event) => {
  if (event.key !== " " || !event.target.matches || !event.target.matches('a[role="button"]')) return;
  event.preventDefault();
  spaceOn = event.target;
});
document.addEventListener("keyup", (event) => {
  if (event.key !== " " || !spaceOn) return;
  const link = spaceOn;
  spaceOn = null;
  if (event.target === link) link.click();
});

// "Available again in N seconds" stays true while it is read: count down each second
// from the server's figure, then enable the button it describes.
function startCountdowns(root) {
  root.querySelectorAll("[data-countdown]").forEach((note) => {
    if (note.dataset.counting) return;
    note.dataset.counting = "1";
    const ends = Date.now() + Number(note.dataset.countdown) * 1000;
    const button = note.id && document.querySelector(`[aria-describedby~="${note.id}"]`);
    const tick = () => {
      const left = Math.ceil((ends - Date.now()) / 1000);
      if (!note.isConnected) return clearInterval(timer);
      if (left > 0) {
        note.textContent = `Available again in ${left} second${left === 1 ? "" : "s"}.`;
        return;
      }
      clearInterval(timer);
      note.textContent = "Available now.";
      if (button) button.disabled = false;
    };
    const timer = setInterval(tick, 1000);
    tick();
  });
}
document.addEventListener("DOMContentLoaded", () => startCountdowns(document));
document.addEventListener("htmx:load", (event) => startCountdowns(event.detail.elt));

// On a phone the navigation is one line: the links fold under a Menu button, which
// shows only where scripts run (without them the links stay listed, as on a wide screen).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const links = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!links) return;
  toggle.hidden = false;
  toggle.closest("nav").classList.add("nav-folds");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    links.classList.toggle("open", open);
  });
});

// A link shown once (a password link a coordinator passes on) has a Copy button: it
// copies the field's text and says so; where the clipboard is refused, the text is
// selected for the person to copy themselves.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const field = document.querySelector(button.dataset.copy);
    const said = document.querySelector(".copy-done");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        if (said) said.textContent = "Copied. Paste it into a message only they read.";
      } catch (error) {
        if (said) said.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy it.";
      }
    });
  });
});
