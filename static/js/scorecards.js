// The scorecard grid: Enter saves the value and moves down its column (like a
// spreadsheet), Shift+Enter moves up; each save is announced (a removal asks first:
// data-confirm, in strata.js).
(function () {
  if (window.strataScorecards) return; // the tab may load this script more than once
  window.strataScorecards = true;

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches(".scorecard input[data-column]")) return;
    event.preventDefault(); // not the form's "Save all"
    input.dispatchEvent(new Event("change", { bubbles: true }));
    var column = input.getAttribute("data-column");
    var inputs = Array.prototype.slice.call(
      document.querySelectorAll('.scorecard input[data-column="' + column + '"]')
    );
    var next = inputs[inputs.indexOf(input) + (event.shiftKey ? -1 : 1)];
    if (next) {
      next.focus();
      next.select();
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.id || !/^line-\d+-result$/.test(target.id)) return;
    // The swap replaced the cell (outerHTML): the event's target is the old one, out of
    // the page; the new one has its id.
    var cell = document.getElementById(target.id);
    var row = cell && cell.closest("tr");
    if (!row) return;
    var status = document.getElementById("scorecard-status");
    if (status) {
      var name = row.querySelector(".metric-name").firstChild.textContent.trim();
      status.textContent = name + ": " + cell.textContent.replace(/\s+/g, " ").trim();
    }
    var invalid = cell.querySelector(".errorlist");
    row.querySelectorAll("input[data-column]").forEach(function (input) {
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  });
})();
