// The relationship matrix (accounts/_relationships.html), a WAI-ARIA grid:
// - one cell is in the tab order (roving tabindex); the arrow keys move between cells,
//   Home and End along the row, Ctrl+Home and Ctrl+End to the first and last cell;
// - where the user may edit (the table has data-edit-url), a click, Enter or Space opens
//   the cell's editor (htmx GET), Escape closes it, Enter or Save posts it; a strength or
//   target picked with the mouse saves at once; the focus comes back to the cell;
// - a coverage gap's link focuses and highlights its cell or row.
// The tab panel brings this script with it, so it runs again after each tab swap: the
// guard keeps one set of listeners on the document, which outlive the swapped markup.
(function () {
  "use strict";
  if (window.strataMatrix) return;
  window.strataMatrix = true;

  var focusOwner = null; // id of the cell the user last acted on: it gets the focus back
  var pickedWithPointer = false;

  function tableOf(element) {
    return element && element.closest ? element.closest("table.matrix") : null;
  }

  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tr.contact-row"));
  }

  function cellsOf(row) {
    return Array.prototype.slice.call(row.querySelectorAll("td.cell"));
  }

  function isCell(element) {
    return element && element.matches && element.matches("table.matrix td.cell");
  }

  // Make `cell` the grid's one tab stop, and focus it.
  function activate(cell, focus) {
    var table = tableOf(cell);
    if (!table) return;
    table.querySelectorAll('td.cell[tabindex="0"]').forEach(function (other) {
      if (other !== cell) other.tabIndex = -1;
    });
    if (!cell.classList.contains("editing")) cell.tabIndex = 0;
    if (focus) {
      cell.focus({ preventScroll: true });
      keepInView(cell);
    }
  }

  // Scroll the cell clear of the sticky header row and first column.
  function keepInView(cell) {
    var scroller = cell.closest(".matrix-scroll");
    if (!scroller) return;
    var table = tableOf(cell);
    var head = table.tHead ? table.tHead.getBoundingClientRect().height : 0;
    var firstColumn = table.querySelector("thead th.who");
    var left = firstColumn ? firstColumn.getBoundingClientRect().width : 0;
    var box = scroller.getBoundingClientRect();
    var rect = cell.getBoundingClientRect();
    if (rect.top < box.top + head) scroller.scrollTop -= box.top + head - rect.top + 4;
    else if (rect.bottom > box.bottom) scroller.scrollTop += rect.bottom - box.bottom + 4;
    if (rect.left < box.left + left) scroller.scrollLeft -= box.left + left - rect.left + 4;
    else if (rect.right > box.right) scroller.scrollLeft += rect.right - box.right + 4;
    // The scroller itself may be partly off screen.
    rect = cell.getBoundingClientRect();
    if (rect.top < 0) window.scrollBy(0, rect.top - 16);
    else if (rect.bottom > window.innerHeight) window.scrollBy(0, rect.bottom - window.innerHeight + 16);
  }

  // Exactly one tab stop per grid, wherever the swaps have left them.
  function ensureTabStop(table) {
    var cells = table.querySelectorAll("td.cell:not(.editing)");
    if (!cells.length || table.querySelector("td.cell.editing")) return;
    var stops = table.querySelectorAll('td.cell[tabindex="0"]');
    if (stops.length === 1) return;
    activate(stops[0] || cells[0], false);
  }

  function move(cell, event) {
    var table = tableOf(cell);
    var rows = rowsOf(table);
    var row = cell.closest("tr");
    var r = rows.indexOf(row);
    var cells = cellsOf(row);
    var c = cells.indexOf(cell);
    var target = null;
    switch (event.key) {
      case "ArrowRight": target = cells[c + 1]; break;
      case "ArrowLeft": target = cells[c - 1]; break;
      case "ArrowDown": target = rows[r + 1] && cellsOf(rows[r + 1])[c]; break;
      case "ArrowUp": target = rows[r - 1] && cellsOf(rows[r - 1])[c]; break;
      case "PageDown": target = rows[Math.min(r + 10, rows.length - 1)] && cellsOf(rows[Math.min(r + 10, rows.length - 1)])[c]; break;
      case "PageUp": target = rows[Math.max(r - 10, 0)] && cellsOf(rows[Math.max(r - 10, 0)])[c]; break;
      case "Home":
        target = event.ctrlKey ? cellsOf(rows[0])[0] : cells[0];
        break;
      case "End":
        if (event.ctrlKey) {
          var last = cellsOf(rows[rows.length - 1]);
          target = last[last.length - 1];
        } else {
          target = cells[cells.length - 1];
        }
        break;
      default:
        return false;
    }
    if (target) activate(target, true);
    return true; // handled, even at the edge: the page does not scroll instead
  }

  function cellUrl(cell) {
    var table = tableOf(cell);
    var parts = cell.id.split("-"); // cell-<contact>-<user>
    return table.dataset.editUrl + parts[1] + "/" + parts[2] + "/";
  }

  function closeEditors(except) {
    document.querySelectorAll("table.matrix td.cell.editing").forEach(function (open) {
      if (open === except) return;
      var cancel = open.querySelector("[data-cancel]");
      if (cancel) htmx.trigger(cancel, "click");
    });
  }

  function openEditor(cell) {
    var table = tableOf(cell);
    if (!table || !table.dataset.editUrl || cell.classList.contains("editing")) return;
    closeEditors(cell);
    activate(cell, true);
    focusOwner = cell.id;
    htmx.ajax("GET", cellUrl(cell), { target: cell, swap: "outerHTML" });
  }

  function cancelEditor(editing) {
    var cancel = editing.querySelector("[data-cancel]");
    focusOwner = editing.id;
    if (cancel) htmx.trigger(cancel, "click");
  }

  // Keep an open editor's box inside the scrolling area: open it leftwards or upwards
  // when it would stick out on the right or at the bottom.
  function placeEditor(editing) {
    var form = editing.querySelector(".cell-editor");
    var scroller = editing.closest(".matrix-scroll");
    if (!form || !scroller) return;
    var box = scroller.getBoundingClientRect();
    var rect = form.getBoundingClientRect();
    if (rect.right > box.right) editing.classList.add("flip");
    if (rect.bottom > box.bottom && rect.height < box.height) editing.classList.add("up");
  }

  function focusAfterSwap(element) {
    if (!isCell(element) || element.id !== focusOwner) return;
    focusOwner = null;
    if (element.classList.contains("editing")) {
      placeEditor(element);
      var field = element.querySelector(".has-error select, select");
      if (field) field.focus();
    } else {
      activate(element, true);
    }
  }

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("flash");
    window.setTimeout(function () { element.classList.remove("flash"); }, 2600);
  }

  // Go to a gap's cell (focused) or row (highlighted, its first cell focused).
  function reveal(target) {
    var cell = isCell(target) ? target : target.querySelector("td.cell");
    flash(target);
    if (cell) {
      activate(cell, true);
    }
    target.scrollIntoView({ block: "center", inline: "nearest" });
    if (cell) keepInView(cell);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var editing = target.closest && target.closest("table.matrix td.cell.editing");
    if (editing) {
      if (event.key === "Escape") {
        event.preventDefault();
        cancelEditor(editing);
      } else if (event.key === "Enter" && target.tagName === "SELECT") {
        event.preventDefault();
        focusOwner = editing.id;
        target.form.requestSubmit();
      } else {
        pickedWithPointer = false;
      }
      return;
    }
    if (!isCell(target) || event.altKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") {
      if (tableOf(target).dataset.editUrl) {
        event.preventDefault();
        openEditor(target);
      }
      return;
    }
    if (move(target, event)) event.preventDefault();
  });

  document.addEventListener("pointerdown", function (event) {
    pickedWithPointer = !!(event.target.closest && event.target.closest(".cell-editor select"));
  });

  // A value picked with the mouse saves at once; with the keyboard, arrows only choose
  // and Enter saves (an arrow key on a closed select changes it, and would save each step).
  document.addEventListener("change", function (event) {
    var select = event.target;
    var editing = select.closest && select.closest("table.matrix td.cell.editing");
    if (!editing || select.tagName !== "SELECT" || !pickedWithPointer) return;
    pickedWithPointer = false;
    focusOwner = editing.id;
    select.form.requestSubmit();
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-gap-anchor]");
    if (link) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        reveal(target);
      }
      return;
    }
    var cell = event.target.closest && event.target.closest("table.matrix td.cell");
    if (!cell) return;
    if (cell.classList.contains("editing")) {
      // Save or Cancel: the cell gets the focus back when it returns.
      if (event.target.closest("button, a")) focusOwner = cell.id;
      return;
    }
    if (tableOf(cell).dataset.editUrl) openEditor(cell);
    else activate(cell, true);
  });

  // Any other refusal (403: no longer allowed to edit; 404: gone; 5xx) would leave the
  // cell as it was without a word: say so, visibly, and how to recover.
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (!isCell(target)) return;
    var message = event.detail.xhr.status === 403
      ? "You can no longer change this account's relationships. Reload the page."
      : "The change was not saved (the server answered " + event.detail.xhr.status + "). Reload the page and try again.";
    var status = document.getElementById("matrix-status");
    if (status) status.textContent = message;
    window.alert(message);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    focusAfterSwap(event.target);
    document.querySelectorAll("table.matrix").forEach(ensureTabStop);
  });

  function init(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table.matrix") : [];
    if (root.matches && root.matches("table.matrix")) tables = [root];
    Array.prototype.forEach.call(tables, function (table) {
      if (table.dataset.ready) return;
      table.dataset.ready = "1";
      ensureTabStop(table);
      var editing = table.querySelector("td.cell.editing");
      if (editing) {
        // A page loaded with a cell's editor open (no htmx): start there.
        placeEditor(editing);
        var field = editing.querySelector("select");
        if (field) field.focus();
        return;
      }
      var hash = window.location.hash.slice(1);
      var target = hash && document.getElementById(hash);
      if (target && table.contains(target)) reveal(target);
    });
  }

  htmx.onLoad(init);
  init(document);
})();
