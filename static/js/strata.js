// Styles that need the script (the folding top menu) know it has run.
document.documentElement.classList.add("js");

// A button with data-confirm asks before it acts ("Delete the tier …?"); Cancel stops the
// click, and with it the form's submission or the htmx request. Handlers written in the
// HTML (onsubmit="…") would need 'unsafe-inline' in the Content-Security-Policy.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});

// The top menu on a phone: the Menu button opens and closes it (aria-expanded drives the
// CSS); Escape or a click elsewhere closes it, and Escape gives the focus back to the button.
function setMenuOpen(toggle, open) {
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
}
document.addEventListener("click", function (event) {
  var toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  if (event.target.closest(".menu-toggle")) {
    setMenuOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
  } else if (toggle.getAttribute("aria-expanded") === "true" && !event.target.closest("#topmenu")) {
    setMenuOpen(toggle, false);
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var toggle = document.querySelector('.menu-toggle[aria-expanded="true"]');
  if (!toggle) return;
  setMenuOpen(toggle, false);
  toggle.focus();
});

// A list's folded filters say how many are set: "Filters (2 active)". A choice counts when
// its select offers an empty "any" option and another is chosen; a box when ticked; a date
// or text when filled.
function countFilters(fold) {
  var count = 0;
  Array.prototype.forEach.call(fold.querySelectorAll("select, input"), function (field) {
    if (field.type === "hidden" || field.type === "radio") return;
    if (field.type === "checkbox") {
      if (field.checked) count += 1;
    } else if (field.tagName === "SELECT") {
      var hasAny = Array.prototype.some.call(field.options, function (o) { return o.value === ""; });
      if (hasAny && field.value !== "") count += 1;
    } else if (field.value) {
      count += 1;
    }
  });
  var label = fold.querySelector("[data-filter-count]");
  if (label) label.textContent = count ? " (" + count + " active)" : "";
}
function countAllFilters() {
  Array.prototype.forEach.call(document.querySelectorAll(".filter-fold"), countFilters);
}
document.addEventListener("DOMContentLoaded", countAllFilters);
document.addEventListener("htmx:load", countAllFilters);
["change", "input"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var fold = event.target.closest && event.target.closest(".filter-fold");
    if (fold) countFilters(fold);
  });
});

// Keyboard use of the account tabs (WAI-ARIA tabs pattern): arrow keys, Home and End
// move between tabs and open the one reached; htmx swaps its panel as on a click.
document.addEventListener("keydown", function (event) {
  var tab = event.target.closest && event.target.closest('[role="tab"]');
  if (!tab) return;
  var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
  var index = tabs.indexOf(tab);
  var next = {
    ArrowRight: tabs[(index + 1) % tabs.length],
    ArrowLeft: tabs[(index - 1 + tabs.length) % tabs.length],
    Home: tabs[0],
    End: tabs[tabs.length - 1],
  }[event.key];
  if (!next) return;
  event.preventDefault();
  next.click();
});

// After htmx swaps the tabs, the keyboard focus goes to the selected tab (htmx itself
// would put it back on the tab with the id that had it, the one just left).
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.detail.target || event.detail.target.id !== "account-tabs") return;
  var focused = document.activeElement;
  var inTabs = focused && focused.closest && focused.closest('[role="tablist"]');
  if (focused !== document.body && !inTabs) return;
  var selected = document.querySelector('#account-tabs [role="tab"][aria-selected="true"]');
  if (selected) selected.focus();
});

// A refused save (422) or a conflict (409) is swapped in place like any answer (the
// htmx-config in base.html). Any other failure (403, 404, 5xx, no connection) would
// leave the page as it was without a word: say so at the foot of the screen, unless the
// part of the page that asked says it itself (data-own-errors).
function sayRequestFailed(event, message) {
  var elt = event.detail.elt;
  if (elt && elt.closest && elt.closest("[data-own-errors]")) return;
  var status = document.getElementById("request-status");
  if (status) status.textContent = message;
}
document.addEventListener("htmx:responseError", function (event) {
  var code = event.detail.xhr.status;
  sayRequestFailed(event, code === 403
    ? "Not saved: you may no longer change this. Reload the page to see it as it is now."
    : code === 404
      ? "Not saved: this no longer exists (someone may have removed it). Reload the page."
      : "Not saved: the server answered " + code + ". What you typed is still on the page; try again.");
});
document.addEventListener("htmx:sendError", function (event) {
  sayRequestFailed(event, "Not saved: the server could not be reached. What you typed is still on the page.");
});

// The tabs scroll sideways on a narrow screen: keep the selected one in sight, on load
// and after each swap of the tab area.
function revealSelectedTab() {
  var selected = document.querySelector('#account-tabs [role="tab"][aria-selected="true"]');
  var list = selected && selected.parentElement;
  if (!list || list.scrollWidth <= list.clientWidth) return;
  var left = selected.offsetLeft - list.offsetLeft;
  if (left < list.scrollLeft || left + selected.offsetWidth > list.scrollLeft + list.clientWidth) {
    list.scrollLeft = left - (list.clientWidth - selected.offsetWidth) / 2;
  }
}
document.addEventListener("DOMContentLoaded", revealSelectedTab);
document.addEventListener("htmx:afterSettle", function (event) {
  if (event.detail.target && event.detail.target.id === "account-tabs") revealSelectedTab();
});

// What an inline save said (.save-status: "Saved: …") shows for a few seconds at the
// foot of the screen, then clears; screen readers have read it out (role=status).
function watchSaveStatus(root) {
  if (!root || !root.querySelectorAll) return;
  var found = Array.prototype.slice.call(root.querySelectorAll(".save-status"));
  if (root.matches && root.matches(".save-status")) found.push(root);
  found.forEach(function (status) {
    if (status._watched) return;
    status._watched = true;
    new MutationObserver(function () {
      clearTimeout(status._timer);
      if (status.textContent.trim()) {
        status._timer = setTimeout(function () { status.textContent = ""; }, 6000);
      }
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
}
document.addEventListener("htmx:load", function (event) { watchSaveStatus(event.detail.elt); });

// Lists with a checkbox per row (the alerts inbox): a box in the header picks every row
// of the form, one in a group's heading the rows of its group; the count is said.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-pick-all], [data-pick-group], input[name=ids]")) return;
  var form = box.form;
  if (!form) return;
  if (box.matches("[data-pick-all], [data-pick-group]")) {
    var scope = box.matches("[data-pick-all]") ? form : box.closest("tbody");
    scope.querySelectorAll("input[name=ids]").forEach(function (row) { row.checked = box.checked; });
  }
  var picked = form.querySelectorAll("input[name=ids]:checked").length;
  var count = form.querySelector("[data-bulk-count]");
  if (count) {
    count.textContent = picked
      ? picked + " selected"
      : "Select alerts to act on them together";
  }
});

// A table that scrolls sideways inside its box (on a phone) can be scrolled from the
// keyboard: the box takes the focus while it overflows.
function focusWideTables() {
  Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), function (box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-scroll-focus", "");
    } else if (!overflows && box.hasAttribute("data-scroll-focus")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("data-scroll-focus");
    }
  });
}
document.addEventListener("DOMContentLoaded", focusWideTables);
document.addEventListener("htmx:load", focusWideTables);
var wideTablesTimer;
window.addEventListener("resize", function () {
  clearTimeout(wideTablesTimer);
  wideTablesTimer = setTimeout(focusWideTables, 150);
});

// A row (or a column) of cells copied from a spreadsheet and pasted into a field of a form
// marked data-paste-across fills that field and the ones after it, a cell each (the
// Revenue tab's twelve months); a single value pastes as usual.
document.addEventListener("paste", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("[data-paste-across] input:not([type=hidden])")) return;
  var text = (event.clipboardData || window.clipboardData).getData("text");
  var values = text.replace(/[\r\n]+$/, "").split(/\t|\r?\n/);
  if (values.length < 2) return;
  event.preventDefault();
  var inputs = Array.prototype.slice.call(input.form.querySelectorAll("input:not([type=hidden])"));
  var start = inputs.indexOf(input);
  var filled = inputs.slice(start, start + values.length);
  filled.forEach(function (field, offset) { field.value = values[offset].trim(); });
  filled[filled.length - 1].focus();
});
