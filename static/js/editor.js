// The agreement editor: a character counter under every field with a length limit, and focus on
// the field a sidebar problem links to. Loaded as a file: the Content-Security-Policy allows no
// inline script.
//
// Fields carry data-maxlength instead of maxlength: a browser enforces maxlength by cutting a
// paste short without a word. Here the whole text stays in the field, the counter turns red and
// says by how much it is too long, and the server refuses it next to the field.
(function () {
  "use strict";
  const script = document.currentScript;
  const texts = { within: script.dataset.counter || "", over: script.dataset.counterOver || "" };
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (placeholder, name) {
      return name in values ? numbers.format(values[name]) : placeholder;
    });
  }

  function counterFor(field) {
    const id = (field.id || field.name) + "-count";
    let counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement("div");
      counter.id = id;
      counter.className = "form-text char-counter";
      field.insertAdjacentElement("afterend", counter);
      const described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    return counter;
  }

  function count(field) {
    const limit = Number(field.dataset.maxlength);
    // Characters as the server counts them: without the spaces around the text it strips.
    const typed = Array.from(field.value.trim()).length;
    const over = typed - limit;
    const counter = counterFor(field);
    const wasOver = counter.classList.contains("text-danger");
    counter.textContent = over > 0
      ? fill(texts.over, { typed: typed, limit: limit, over: over })
      : fill(texts.within, { typed: typed, limit: limit });
    counter.classList.toggle("text-danger", over > 0);
    counter.classList.toggle("fw-semibold", over > 0);
    // Announced only when the text crosses the limit, not on every keystroke.
    if (over > 0 !== wasOver) counter.setAttribute("aria-live", "polite");
    else counter.removeAttribute("aria-live");
    if (over > 0) {
      field.classList.add("is-invalid");
      field.dataset.tooLong = "true";
    } else if (field.dataset.tooLong) {
      field.classList.remove("is-invalid"); // only the red border this script added
      delete field.dataset.tooLong;
    }
  }

  function countAll(root) {
    if (root.matches && root.matches("[data-maxlength]")) count(root);
    root.querySelectorAll("[data-maxlength]").forEach(count);
  }

  function focusLinkedField() {
    if (!location.hash) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    // A field, or a row: the first field of a row opened for editing (a list: nothing).
    const field = target.matches("input, select, textarea")
      ? target
      : target.matches("tr") && target.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus();
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-maxlength]")) count(event.target);
  });
  // htmx swaps in rows and forms: count their fields too.
  document.addEventListener("htmx:load", function (event) { countAll(event.detail.elt); });
  countAll(document);
  focusLinkedField();
})();
