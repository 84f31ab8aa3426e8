// Keyboard shortcuts of the inbox list and of a conversation (docs/inbox.md):
//   j / k     the next / previous conversation (list) or message (conversation)
//   Enter, o  open the chosen conversation (list)
//   r         write the reply (conversation)
//   e         close: the chosen conversation through the bulk form (list), this one (conversation)
//   a         assign: the chosen conversation's assignee (list), this one's (conversation)
//   ?         show or hide the list of shortcuts; Escape hides it
// Keys typed in a field, or with Ctrl, Alt or Cmd, are the browser's and the field's: never ours.
// The page says which elements are what with data- attributes; nothing here is inline.
(function () {
  "use strict";

  var root = document.querySelector("[data-inbox-keys]");
  if (!root) return;
  var page = root.getAttribute("data-inbox-keys"); // "list" or "conversation"
  var help = document.querySelector("[data-inbox-keys-help]");
  var current = -1;

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(
      target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']")
    );
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-inbox-item]"));
  }

  function choose(index) {
    var all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (item, i) {
      item.classList.toggle("inbox-chosen", i === current);
      if (i === current) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function chosen() {
    var all = items();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function tickChosen() {
    // The bulk form acts on ticked rows: the chosen row alone, as if ticked by hand.
    var row = chosen();
    if (!row) return null;
    var box = row.querySelector("input[name='conversations']");
    if (!box) return null;
    document.querySelectorAll("input[name='conversations']").forEach(function (other) {
      other.checked = other === box;
    });
    return box.form;
  }

  function clickSubmit(form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  var actions = {
    list: {
      open: function () {
        var row = chosen();
        var link = row && row.querySelector("[data-inbox-open]");
        if (link) link.click();
      },
      close: function () {
        var form = tickChosen();
        if (!form) return;
        form.querySelector("[name='action']").value = "close";
        clickSubmit(form);
      },
      assign: function () {
        var form = tickChosen();
        if (!form) return;
        form.querySelector("[name='action']").value = "assign";
        var who = form.querySelector("[name='assignee']");
        if (who) who.focus();
      },
    },
    conversation: {
      open: function () {},
      reply: function () {
        var box = document.querySelector("[data-inbox-reply]");
        if (box) box.focus();
      },
      close: function () {
        var status = document.querySelector("[data-inbox-status]");
        if (!status) return;
        var closed = status.querySelector("option[value='closed']");
        if (!closed) return; // not a move this conversation allows
        status.value = "closed";
        clickSubmit(status.form);
      },
      assign: function () {
        var who = document.querySelector("[data-inbox-assignee]");
        if (who) who.focus();
      },
    },
  }[page];
  if (!actions) return;

  function toggleHelp(show) {
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.key === "Escape") {
      toggleHelp(false);
      return;
    }
    if (typing(event.target)) return;
    var handler = {
      j: function () { choose(current + 1); },
      k: function () { choose(current - 1); },
      o: actions.open,
      Enter: actions.open,
      r: actions.reply,
      e: actions.close,
      a: actions.assign,
      "?": function () { toggleHelp(); },
    }[event.key];
    // Enter on a focused link or button is the browser's own.
    if (event.key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    if (!handler) return;
    event.preventDefault();
    handler();
  });
})();
