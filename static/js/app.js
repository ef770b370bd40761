// Progressive enhancements only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-autosubmit]")) {
    field.form.requestSubmit();
  }
});

// The menu on a phone: folded behind its button (app.css shows the button on small screens).
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) return;
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  menu.classList.toggle("is-open", open);
});

// A link to a folded section (<details>, as on the round comparison) opens it.
function openLinkedSection() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  const section = target && target.closest("details");
  if (section) section.open = true;
}
window.addEventListener("hashchange", openLinkedSection);
openLinkedSection();
