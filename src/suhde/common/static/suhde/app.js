// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// The language menu switches at once; without JavaScript its button does the same.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.submit();
  }
});
