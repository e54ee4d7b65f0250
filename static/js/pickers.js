// Checkbox lists of the round form (templates/includes/checkbox_picker.html), progressive enhancement
// only: without this file they are plain checkboxes that post as they are.
// - fieldset[data-select-all]: "Pilih semua" ticks every box, "Kosongkan" clears them.
// - fieldset[data-filter]: a filter box hides the entries that do not match what is typed (name, agency,
//   region; case and accents ignored), and offers matches from the whole bank (data-suggest) below.
document.addEventListener("DOMContentLoaded", function () {
  function boxesOf(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input[type=checkbox]"));
  }

  document.querySelectorAll("fieldset[data-select-all]").forEach(function (fieldset) {
    fieldset.querySelectorAll(".picker-tools").forEach(function (tools) { tools.hidden = false; });
    fieldset.querySelectorAll("button[data-pick]").forEach(function (button) {
      button.addEventListener("click", function () {
        var checked = button.dataset.pick === "all";
        boxesOf(fieldset).forEach(function (box) {
          box.checked = checked;
        });
      });
    });
  });

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  document.querySelectorAll("fieldset[data-filter]").forEach(function (fieldset) {
    var filter = fieldset.querySelector("input[data-picker-filter]");
    var status = fieldset.querySelector("[data-picker-status]");
    var results = fieldset.querySelector("[data-picker-results]");
    var resultList = results && results.querySelector("ul");
    var name = (boxesOf(fieldset)[0] || {}).name || fieldset.id.replace(/^id_/, "");
    var timer = null;
    var asked = 0;
    fieldset.querySelectorAll(".picker-tools").forEach(function (tools) { tools.hidden = false; });

    function apply() {
      var query = folded(filter.value.trim());
      var shown = 0;
      var items = Array.prototype.slice.call(fieldset.querySelectorAll(".picker-list li"));
      // Only what changes is written: a rewrite of the page above the viewport would move it.
      items.forEach(function (item) {
        var match = !query || folded(item.textContent).indexOf(query) !== -1;
        if (item.hidden === match) { item.hidden = !match; }
        if (match) { shown += 1; }
      });
      fieldset.querySelectorAll(".picker-group").forEach(function (group) {
        var empty = !group.querySelector(".picker-list li:not([hidden])");
        if (group.hidden !== empty) { group.hidden = empty; }
      });
      var chosen = boxesOf(fieldset).filter(function (box) { return box.checked; }).length;
      var text = status.dataset.template
        .replace("{chosen}", chosen).replace("{shown}", shown).replace("{total}", items.length);
      if (status.textContent !== text) { status.textContent = text; }
    }

    function known(id) {
      return boxesOf(fieldset).some(function (box) { return box.value === String(id); });
    }

    // Earlier results go when the text changes; what was ticked among them stays.
    function dropResults() {
      Array.prototype.slice.call(resultList.children).forEach(function (item) {
        if (!item.querySelector("input").checked) { item.remove(); }
      });
      results.hidden = !resultList.children.length;
    }

    function offer(query) {
      var ticket = asked;
      fetch(fieldset.dataset.suggest + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ticket !== asked) { return; }  // the text changed meanwhile: these answer an old question
          dropResults();
          data.results.forEach(function (result) {
            if (known(result.id)) { return; }
            var item = document.createElement("li");
            var label = document.createElement("label");
            var box = document.createElement("input");
            box.type = "checkbox";
            box.name = name;
            box.value = String(result.id);
            box.id = fieldset.id + "_found_" + result.id;
            label.htmlFor = box.id;
            label.appendChild(box);
            label.appendChild(document.createTextNode(" " + result.name + " — " + result.agency));
            item.appendChild(label);
            resultList.appendChild(item);
          });
          results.hidden = !resultList.children.length;
          apply();
        })
        .catch(function () { /* the list above still works */ });
    }

    filter.addEventListener("input", function () {
      asked += 1;
      clearTimeout(timer);
      var query = filter.value.trim();
      if (query.length < 2) { dropResults(); }
      apply();
      if (query.length >= 2) { timer = setTimeout(function () { offer(query); }, 250); }
    });
    // Enter in the filter box must not send the whole form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    fieldset.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") { apply(); }
    });
    apply();
  });
});
