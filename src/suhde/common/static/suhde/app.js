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

// Searchable pickers. A select or a fieldset of checkboxes marked [data-picker] (people,
// organizations) gets a search box that narrows its choices as one types; case and diacritics
// are folded, so "makela" finds "Mäkelä". Chosen ones always stay in view.
const fold = (text) =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();

function pickerSetUp(picker) {
  if (picker.dataset.pickerReady) {
    return;
  }
  picker.dataset.pickerReady = "1";
  const box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm mb-1 picker-search";
  box.autocomplete = "off";
  const hint = document.documentElement.dataset.searchLabel || "";
  const label =
    picker.tagName === "FIELDSET"
      ? picker.querySelector("legend")
      : picker.id && document.querySelector(`label[for="${picker.id}"]`);
  box.placeholder = hint;
  let name = "";
  if (label) {
    const copy = label.cloneNode(true); // the label as heard: without its hidden "*"
    copy.querySelectorAll("[aria-hidden=true]").forEach((mark) => mark.remove());
    name = copy.textContent.trim();
  }
  box.setAttribute("aria-label", name ? `${name}: ${hint}` : hint);
  if (picker.tagName === "SELECT") {
    const options = Array.from(picker.options);
    picker.before(box);
    box.addEventListener("input", () => {
      const needle = fold(box.value.trim());
      const chosen = picker.value;
      picker.replaceChildren(
        ...options.filter(
          (o) => !needle || !o.value || o.value === chosen || fold(o.text).includes(needle),
        ),
      );
      picker.value = chosen;
    });
  } else {
    const legend = picker.querySelector("legend");
    (legend || picker.firstChild).after(box);
    box.addEventListener("input", () => {
      const needle = fold(box.value.trim());
      for (const row of picker.querySelectorAll(".form-check")) {
        const input = row.querySelector("input");
        row.hidden = Boolean(needle) && !input.checked && !fold(row.textContent).includes(needle);
      }
    });
  }
}

function pickersSetUp(root) {
  if (root.matches && root.matches("[data-picker]")) {
    pickerSetUp(root);
  }
  root.querySelectorAll("[data-picker]").forEach(pickerSetUp);
}
pickersSetUp(document);
document.addEventListener("htmx:load", (event) => pickersSetUp(event.detail.elt));
