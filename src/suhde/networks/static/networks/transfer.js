// Shows a progress bar while an upload is checked or an import is written.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.progress) return;
  const progress = document.getElementById(form.dataset.progress);
  if (progress) progress.hidden = false;
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    button.disabled = true;
  });
});
