// Small behaviours of the dashboard. No inline scripts: everything hangs on data- attributes.
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before sending.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <button data-copy="#element-id">: copy the element's text; the label says it worked.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.querySelector("[data-copy-label]");
      if (label) label.textContent = button.getAttribute("data-copied-text") || label.textContent;
    });
  });

  // A role select with data-client-roles="a,b" shows the brands fieldset only for those roles.
  function syncBrands(select) {
    var clientRoles = (select.getAttribute("data-client-roles") || "").split(",");
    var form = select.form;
    var brands = form && form.querySelector('[data-field="brands"]');
    if (brands) brands.hidden = clientRoles.indexOf(select.value) === -1;
  }
  document.querySelectorAll("select[data-client-roles]").forEach(function (select) {
    syncBrands(select);
    select.addEventListener("change", function () { syncBrands(select); });
  });
})();
