/* The inbox's reply box: insert a saved reply at the cursor, and count the reply the network's
   way while typing (a mirror of networks/text.py; the server checks again when sending).
   No dependencies: loaded by templates/engagement/conversation.html. */
(function () {
  "use strict";

  var SCHEME_URL = /\bhttps?:\/\/[^\s<>"]+/giu;
  var GENERIC_TLDS =
    "com|org|net|edu|gov|int|mil|info|biz|name|pro|app|dev|io|ai|co|me|tv|shop|store|online|" +
    "site|tech|blog|news|media|agency|digital|social|xyz|top|club|live|art|design|cloud|africa|" +
    "paris|ovh|asia|eu|studio|world|email|link|page|fun|space|website";
  var BARE_URL = new RegExp(
    "(?<![\\p{L}\\p{N}_@.\\-/#])(?:[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?\\.)+" +
      "(?:" + GENERIC_TLDS + "|[a-z]{2})(?![\\p{L}\\p{N}_\\-])(?::\\d{1,5})?(?:/[^\\s<>\"]*)?",
    "giu"
  );
  var MASTODON_MENTION = /(?<![\p{L}\p{N}_/])@([\p{L}\p{N}_]+)@[\p{L}\p{N}_.\-]+[\p{L}\p{N}_]/gu;
  var EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u20E3|\p{Extended_Pictographic}\u200D/u;
  var TRAILING = ".,:;!?'\")]}";
  var X_RANGES = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  function graphemes(text) {
    if (!segmenter) return Array.from(text);
    return Array.from(segmenter.segment(text), function (s) { return s.segment; });
  }

  function stripTrailing(url) {
    while (url && TRAILING.indexOf(url[url.length - 1]) !== -1) {
      if (url[url.length - 1] === ")" && url.split("(").length >= url.split(")").length) break;
      url = url.slice(0, -1);
    }
    return url;
  }

  function findUrls(text, schemeless) {
    var spans = [];
    var match;
    SCHEME_URL.lastIndex = 0;
    while ((match = SCHEME_URL.exec(text))) {
      spans.push([match.index, match.index + stripTrailing(match[0]).length]);
    }
    if (schemeless) {
      BARE_URL.lastIndex = 0;
      while ((match = BARE_URL.exec(text))) {
        var start = match.index;
        var inside = spans.some(function (s) { return s[0] <= start && start < s[1]; });
        if (!inside) spans.push([start, start + stripTrailing(match[0]).length]);
      }
    }
    return spans.sort(function (a, b) { return a[0] - b[0]; });
  }

  function withUrls(text, schemeless, urlLength, countSegment) {
    var total = 0;
    var cursor = 0;
    findUrls(text, schemeless).forEach(function (span) {
      total += countSegment(text.slice(cursor, span[0])) + urlLength;
      cursor = span[1];
    });
    return total + countSegment(text.slice(cursor));
  }

  function xWeight(segment) {
    var weight = 0;
    graphemes(segment).forEach(function (cluster) {
      if (EMOJI.test(cluster)) { weight += 200; return; }
      Array.from(cluster).forEach(function (ch) {
        var code = ch.codePointAt(0);
        var light = X_RANGES.some(function (r) { return r[0] <= code && code <= r[1]; });
        weight += light ? 100 : 200;
      });
    });
    return weight;
  }

  var COUNTERS = {
    graphemes: function (text) { return graphemes(text).length; },
    code_points: function (text) { return Array.from(text.normalize("NFC")).length; },
    mastodon: function (text, urlLength) {
      text = text.replace(MASTODON_MENTION, function (_m, user) { return "@" + user; });
      return withUrls(text, false, urlLength || 23, function (s) { return graphemes(s).length; });
    },
    x: function (text) {
      text = text.normalize("NFC");
      return Math.floor(withUrls(text, true, 2300, xWeight) / 100);
    },
  };

  function insertAtCursor(area, text) {
    var start = area.selectionStart == null ? area.value.length : area.selectionStart;
    var end = area.selectionEnd == null ? start : area.selectionEnd;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    var caret = start + text.length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUp(box) {
    var area = box.querySelector("textarea[name=text]");
    var output = box.querySelector("[data-reply-count]");
    var picker = box.querySelector("[data-saved-replies]");
    if (!area) return;
    var counter = COUNTERS[box.dataset.counter] || COUNTERS.code_points;
    var max = parseInt(box.dataset.maxLength, 10);
    var signature = box.dataset.signature || "";
    var urlLength = parseInt(box.dataset.urlLength, 10) || 0;

    function refresh() {
      if (!output) return;
      var text = area.value.replace(/\s+$/u, "");
      if (signature && text.slice(-signature.length) !== signature) text = text + "\n" + signature;
      var length = text.trim() ? counter(text, urlLength) : 0;
      output.textContent = length + " / " + max;
      output.classList.toggle("text-danger", length > max);
      output.classList.toggle("fw-semibold", length > max);
    }

    if (picker) {
      picker.addEventListener("change", function () {
        var option = picker.options[picker.selectedIndex];
        if (option && option.dataset.body) insertAtCursor(area, option.dataset.body);
        picker.selectedIndex = 0;
      });
    }
    area.addEventListener("input", refresh);
    refresh();
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = COUNTERS; // engagement/tests/test_reply_box_counter.py compares with Python
  } else {
    document.querySelectorAll("[data-reply-box]").forEach(setUp);
  }
})();
