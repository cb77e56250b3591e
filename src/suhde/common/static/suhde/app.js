// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// The language menu switches at once; without JavaScript its button does the same.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.submit();
  }
});

// Confirmation dialogs. A [data-confirm-dialog] link leads to a confirmation page; with
// JavaScript htmx loads that page's body into the <dialog> instead, which opens as a modal
// (focus moves into it, Escape closes it) and gives focus back to the link when it closes.
let confirmOpener = null;
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-confirm-dialog]");
  if (opener) {
    confirmOpener = opener;
  }
  const closer = event.target.closest("dialog [data-dialog-close]");
  if (closer) {
    event.preventDefault();
    closer.closest("dialog").close();
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const dialog = event.detail.target;
  if (dialog instanceof HTMLDialogElement && !dialog.open) {
    dialog.showModal();
    const first = dialog.querySelector("button, [href], input:not([type=hidden])");
    if (first) {
      first.focus();
    }
  }
});
document.addEventListener(
  "close",
  (event) => {
    if (event.target.id === "confirm-dialog") {
      event.target.replaceChildren();
      if (confirmOpener) {
        confirmOpener.focus();
        confirmOpener = null;
      }
    }
  },
  true,
);
