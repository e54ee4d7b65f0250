// Progressive enhancement only: every form works without this file.
// Facet checkboxes and the sort menu apply themselves as soon as a pointer changes them. Changed from
// the keyboard (arrow keys in the menu, Space on a box) they wait for the form's own button, so that
// a keyboard or screen-reader user is never moved to a new page by a mere change (WCAG 3.2.2).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var byPointer = false;
    form.addEventListener("pointerdown", function () { byPointer = true; });
    form.addEventListener("keydown", function () { byPointer = false; });
    form.addEventListener("change", function (event) {
      if (byPointer && event.target.matches("input[type=checkbox], select")) {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });
});

// Search-as-you-type for a <select data-suggest="URL">: matches from the whole bank are offered
// below the shortlist as you type; without JavaScript the select keeps the shortlist.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-suggest]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.placeholder = select.dataset.suggestPlaceholder || "";
    input.setAttribute("aria-label", select.dataset.suggestLabel || "");
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);
    var group = document.createElement("optgroup");
    group.label = select.dataset.suggestGroup || "";
    var timer = null;
    function offer(parameter, query) {
        fetch(select.dataset.suggest + "?" + parameter + "=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            // In a multiple select, what was picked from earlier results stays picked.
            Array.prototype.slice.call(group.children).forEach(function (option) {
              if (option.selected) { delete option.dataset.suggested; select.insertBefore(option, group); }
            });
            group.replaceChildren();
            data.results.forEach(function (item) {
              if (select.querySelector('option[value="' + item.id + '"]:not([data-suggested])')) { return; }
              var option = new Option(item.name + " — " + item.agency, item.id);
              option.dataset.suggested = "1";
              group.appendChild(option);
            });
            if (group.children.length) {
              select.appendChild(group);
              if (!select.multiple && !select.value) { select.value = group.children[0].value; }
            } else { group.remove(); }
          });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2) { group.remove(); return; }
        offer("q", query);
      }, 200);
    });
    // "Find by problem" from the form's own problem field.
    var problem = select.form && select.form.querySelector("textarea[name=problem]");
    if (problem && select.dataset.suggestProblemLabel) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small";
      button.textContent = select.dataset.suggestProblemLabel;
      button.addEventListener("click", function () {
        if (problem.value.trim().length > 2) { offer("masalah", problem.value.trim().slice(0, 2000)); }
      });
      select.parentNode.insertBefore(button, select.nextSibling);
    }
  });
});

// A print button (the recap): the browser's own print dialog, with the A4 print stylesheet.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
