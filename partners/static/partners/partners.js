// The member search on a partner's form: hides the members (and sector groups) whose name
// does not contain what is typed. Without JavaScript every member is listed.
document.addEventListener("input", (event) => {
  const field = event.target;
  if (!field.matches("input[data-filter-list]")) return;
  const list = document.querySelector(field.dataset.filterList);
  const wanted = field.value.trim().toLowerCase();
  for (const item of list.querySelectorAll("li[data-name]")) {
    item.hidden = wanted !== "" && !item.dataset.name.includes(wanted);
  }
  for (const group of list.querySelectorAll("[data-group]")) {
    group.hidden = group.querySelector("li[data-name]:not([hidden])") === null;
  }
});
