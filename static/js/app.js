// Progressive enhancements only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-autosubmit]")) {
    field.form.requestSubmit();
  }
});
