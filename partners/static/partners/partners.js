// The member search on a partner's form: hides the members (and sector groups) whose name
// does not contain what is typed. Without JavaScript every member is listed.
function filterMembers(field) {
  const list = document.querySelector(field.dataset.filterList);
  if (!list) return;
  const wanted = field.value.trim().toLowerCase();
  for (const item of list.querySelectorAll("li[data-name]")) {
    item.hidden = wanted !== "" && !item.dataset.name.includes(wanted);
  }
  for (const group of list.querySelectorAll("[data-group]")) {
    group.hidden = group.querySelector("li[data-name]:not([hidden])") === null;
  }
}

document.addEventListener("input", (event) => {
  if (event.target.matches("input[data-filter-list]")) filterMembers(event.target);
});

// Typed before this script ran (a slow link), or kept by the browser on "back": filter now.
for (const field of document.querySelectorAll("input[data-filter-list]")) {
  if (field.value) filterMembers(field);
}
