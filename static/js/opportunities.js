// Opportunities: the qualification panel, the pipeline board (move a card by its select or by dragging it onto
// another stage), the pipeline refreshing itself after a move, refusals said in the
// status line, and the whitespace cell editor (Escape cancels it).
(function () {
  if (window.strataOpportunities) return; // the tab may load this script more than once
  window.strataOpportunities = true;

  function say(message, isError) {
    var status = document.getElementById("pipeline-status");
    if (!status) return;
    status.textContent = message || "";
    status.classList.toggle("error", !!isError);
    status.classList.toggle("shown", !!message);
  }

  function refreshPipeline() {
    var results = document.getElementById("pipeline-results");
    if (!results || !window.htmx) return;
    htmx.ajax("GET", results.getAttribute("data-refresh-url"), {
      target: "#pipeline-results",
      swap: "outerHTML",
    });
  }

  document.body.addEventListener("pipeline-changed", function (event) {
    say(event.detail && event.detail.message, false);
    refreshPipeline();
  });
  document.body.addEventListener("strata-flash", function (event) {
    say(event.detail && event.detail.error, true);
    refreshPipeline(); // put the card's select back where the card really is
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest(".move-form");
    if (!form) return;
    var status = event.detail.xhr.status;
    say(
      status === 403
        ? "You can see this opportunity but not change it."
        : status === 404
          ? "That opportunity no longer exists. The board has been refreshed."
          : "The move was not saved (the server answered " + status + "). Try again.",
      true
    );
    refreshPipeline();
  });

  // Drag and drop: dropping a card on a column sets its select and lets htmx post it.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".opp-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-opportunity"));
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".board-column.drop-target").forEach(function (column) {
      column.classList.remove("drop-target");
    });
  });
  document.addEventListener("dragover", function (event) {
    var column = dragged && event.target.closest && event.target.closest(".board-column");
    if (!column) return;
    event.preventDefault();
    document.querySelectorAll(".board-column.drop-target").forEach(function (other) {
      if (other !== column) other.classList.remove("drop-target");
    });
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var column = dragged && event.target.closest && event.target.closest(".board-column");
    if (!column) return;
    event.preventDefault();
    var select = dragged.querySelector(".move-form select");
    var stage = column.getAttribute("data-stage");
    if (!select || select.value === stage) return;
    select.value = stage;
    column.querySelector(".cards").appendChild(dragged);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // Escape in a whitespace cell's editor puts the matrix back as it was.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest(".ws-form");
    if (!form) return;
    var cancel = form.querySelector("a[hx-get]");
    if (cancel) cancel.click();
  });

  // The cell editor takes the focus when it opens.
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = event.detail.target && event.detail.target.querySelector && event.detail.target.querySelector(".ws-form");
    if (!form) return;
    var checked = form.querySelector("input[type=radio]:checked") || form.querySelector("input");
    if (checked) checked.focus();
  });
})();
