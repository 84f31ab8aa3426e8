// Composer and calendar behaviours. No inline scripts: everything hangs on data- attributes.
(function () {
  "use strict";

  // <button data-insert="#tag #tag2" data-insert-into="#id_text">: insert at the cursor.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-insert-into"));
    if (!field) return;
    var value = button.getAttribute("data-insert");
    var start = field.selectionStart || field.value.length;
    var end = field.selectionEnd || field.value.length;
    var before = field.value.slice(0, start);
    var spacer = before && !/\s$/.test(before) ? " " : "";
    field.value = before + spacer + value + field.value.slice(end);
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // <select data-autosubmit>: submit its form on change. A form with data-carry="a b" and
  // data-carry-from="#form" takes those fields' values along (the composer's brand change
  // keeps the text typed so far).
  document.addEventListener("change", function (event) {
    if (!event.target.matches("select[data-autosubmit]")) return;
    var form = event.target.form;
    var source = form.getAttribute("data-carry-from");
    source = source ? document.querySelector(source) : null;
    if (source) {
      (form.getAttribute("data-carry") || "").split(" ").forEach(function (name) {
        var field = name && source.elements.namedItem(name);
        if (!field || !field.value) return;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = field.value;
        form.appendChild(input);
      });
      // The new brand's page saves the carried text under its own key.
      autosaveClear(source);
    }
    form.submit();
  });

  // <form data-autosave="key" data-autosave-fields="a b">: those fields are kept in this
  // browser while typed, given back (with #composer-restored shown) when the page opens
  // without them, and forgotten when the form is sent.
  function autosaveStore() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function autosaveClear(form) {
    var store = autosaveStore();
    if (store && form.getAttribute("data-autosave")) store.removeItem(form.getAttribute("data-autosave"));
  }
  function autosaveFields(form) {
    return (form.getAttribute("data-autosave-fields") || "").split(" ").filter(function (name) {
      return name && form.elements.namedItem(name);
    });
  }
  function autosaveSetUp(form) {
    var store = autosaveStore();
    if (!store) return;
    var key = form.getAttribute("data-autosave");
    var names = autosaveFields(form);
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    var notice = document.getElementById("composer-restored");
    var initial = {};
    names.forEach(function (name) { initial[name] = form.elements.namedItem(name).value; });
    if (saved && names.some(function (name) { return saved[name] && saved[name] !== initial[name]; })) {
      names.forEach(function (name) {
        if (typeof saved[name] === "string") form.elements.namedItem(name).value = saved[name];
      });
      if (notice) notice.hidden = false;
      form.dispatchEvent(new Event("change", { bubbles: true }));  // redraw the preview
    }
    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var draft = { saved_at: new Date().toISOString() };
        names.forEach(function (name) { draft[name] = form.elements.namedItem(name).value; });
        try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: no autosave */ }
      }, 500);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      store.removeItem(key);
    });
    var discard = notice ? notice.querySelector("[data-autosave-discard]") : null;
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(key);
        names.forEach(function (name) { form.elements.namedItem(name).value = initial[name]; });
        notice.hidden = true;
        form.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  }
  document.querySelectorAll("form[data-autosave]").forEach(autosaveSetUp);

  // Calendar: drag a post onto another day; htmx posts the new date and redraws the calendar.
  document.addEventListener("dragstart", function (event) {
    var chip = event.target.closest("[data-post-move]");
    if (!chip) return;
    event.dataTransfer.setData("text/plain", chip.getAttribute("data-post-move"));
    event.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (event) {
    if (event.target.closest("[data-drop-date]")) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    var cell = event.target.closest("[data-drop-date]");
    if (!cell) return;
    event.preventDefault();
    var url = event.dataTransfer.getData("text/plain");
    if (!url || !window.htmx) return;
    var body = document.getElementById("calendar-body");
    var headers = {};
    try { headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { headers = {}; }
    window.htmx.ajax("POST", url, {
      source: cell,
      headers: headers,
      target: "#calendar-body",
      swap: "outerHTML",
      values: {
        date: cell.getAttribute("data-drop-date"),
        // The week view's hour rows give the time too; the month's days keep the post's own.
        time: cell.getAttribute("data-drop-time") || "",
        query: body ? body.getAttribute("data-query") : "",
      },
    });
  });
})();
