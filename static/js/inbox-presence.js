// Who else has this conversation open, or is typing in it (engagement/views/presence.py).
// Every few seconds, while the tab is visible, the page beats (POST, with typing=1 when a key
// went into the reply or the note since the last beat) and shows the server's sentence, in the
// person's language. A hidden tab stops beating, so it disappears for others within seconds.
(function () {
  "use strict";

  var box = document.querySelector("[data-presence-url]");
  if (!box) return;
  var url = box.getAttribute("data-presence-url");
  var token = csrfToken();
  var typedSince = false;

  function csrfToken() {
    // A form's token, else the one the page gives htmx (a reader's page has no form).
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }
  var seconds = 5;

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("[data-presence-typing]")) typedSince = true;
  });

  function show(data) {
    var text = (data && data.text) || "";
    box.textContent = text;
    box.hidden = !text;
    if (data && data.beat_seconds) seconds = data.beat_seconds;
  }

  function beat() {
    if (document.hidden) return schedule();
    var body = new FormData();
    body.append("typing", typedSince ? "1" : "0");
    typedSince = false;
    var headers = { "X-Requested-With": "fetch" };
    if (token) headers["X-CSRFToken"] = token;
    fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(show)
      .catch(function () { /* offline for a moment: the next beat tries again */ })
      .then(schedule);
  }

  function schedule() {
    window.setTimeout(beat, seconds * 1000);
  }

  beat();
})();
