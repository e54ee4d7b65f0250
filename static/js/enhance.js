// Progressive enhancement only: every form works without this file.
// Facet checkboxes and the sort menu apply themselves as soon as they change.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox], select")) {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });
});
