// The funnel calculator: add and remove stream and source rows in place, and mark the fields
// whose error slot a live update (htmx, out of band) has filled.
(function () {
  "use strict";
  var form = document.getElementById("calculator-form");
  if (!form) return;
  form.classList.add("js");

  var RENAMED = ["id", "name", "for", "aria-describedby", "data-error-for"];

  // Keep Django's formset names dense (streams-0-..., streams-1-...) after rows come and go.
  function renumber(section) {
    var prefix = section.dataset.rows;
    var pattern = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");
    var rows = section.querySelectorAll("[data-row-list] > [data-row]");
    rows.forEach(function (row, index) {
      row.querySelectorAll("*").forEach(function (element) {
        RENAMED.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(pattern, prefix + "-" + index + "-"));
        });
      });
      row.querySelector("[data-row-number]").textContent = index + 1;
    });
    section.querySelector("[data-total]").value = rows.length;
    section.querySelector("[data-add-row]").disabled = rows.length >= Number(section.dataset.max);
  }

  function addRow(section) {
    var list = section.querySelector("[data-row-list]");
    list.appendChild(section.querySelector("[data-row-template]").content.cloneNode(true));
    renumber(section);
    list.lastElementChild.querySelector("input").focus();
  }

  function removeRow(section, row) {
    row.remove();
    renumber(section);
    section.querySelector("[data-add-row]").focus();
    htmx.trigger(form, "recalculate");
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row], [data-remove-row]");
    if (!button) return;
    event.preventDefault();
    var section = button.closest("[data-rows]");
    if (button.hasAttribute("data-add-row")) addRow(section);
    else removeRow(section, button.closest("[data-row]"));
  });

  // A live update replaces the error slots but never the inputs: set aria-invalid (which the
  // stylesheet shows in red) and aria-describedby to match.
  function markInvalidFields() {
    form.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var input = document.getElementById(slot.dataset.errorFor);
      if (!input) return;
      var invalid = slot.textContent.trim() !== "";
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== slot.id;
      });
      if (invalid) described.push(slot.id);
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    });
  }

  document.body.addEventListener("htmx:afterSettle", markInvalidFields);
})();
