// Filters the survey's list of partners as the respondent types; without it the list is whole.
function filterRoster(box) {
  const needle = box.value.trim().toLowerCase();
  document.querySelectorAll("[data-roster-item]").forEach((item) => {
    item.hidden = needle !== "" && !item.dataset.search.includes(needle);
  });
  document.querySelectorAll("[data-roster-group]").forEach((group) => {
    group.hidden = !group.querySelector("[data-roster-item]:not([hidden])");
  });
}

document.addEventListener("input", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.hasAttribute("data-roster-search")) {
    filterRoster(box);
  }
});

// Typed before this script ran, or kept by the browser on "back": filter what is there.
document.querySelectorAll("[data-roster-search]").forEach(filterRoster);
