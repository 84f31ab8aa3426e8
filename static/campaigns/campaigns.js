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

  // <select data-autosubmit>: submit its form on change.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });

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
