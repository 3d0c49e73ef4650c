// The scorecard grid: Enter saves the value and moves down its column (like a
// spreadsheet), Shift+Enter moves up; a removal asks first; each save is announced.
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

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var cell = event.detail.target;
    if (!cell || !cell.id || !/^line-\d+-result$/.test(cell.id)) return;
    var status = document.getElementById("scorecard-status");
    var row = cell.closest("tr");
    if (status && row) {
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
