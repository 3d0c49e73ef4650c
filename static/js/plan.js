// The plan page (plans/plan.html): editing in place with htmx, by mouse or keyboard.
// - An item's text opens its form on a click or Enter (htmx attributes in the markup);
//   Escape in any form of the page cancels it; the focus goes to the first field when a
//   form opens, and back to the item (or its Undo, or the Add button) when it closes.
// - Move up / Move down post the whole new order of the list to plans:items_reorder;
//   the focus stays on the moved item's button.
// - 422 (errors) and 409 (someone else saved first) answers carry the form to show;
//   base.html's htmx-config swaps them like any answer.
// - Other refusals (403, 404, 5xx) are said in the status line at the top.
(function () {
  "use strict";
  if (window.strataPlan) return;
  window.strataPlan = true;

  var refocus = null; // {id, selector}: what gets the focus after the next swap

  function page() {
    return document.getElementById("plan-page");
  }

  function inPage(element) {
    var root = page();
    return !!(root && element && root.contains(element));
  }

  function say(message) {
    var status = document.getElementById("plan-status");
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("shown", !!message);
  }

  function rowOf(element) {
    return element.closest(".item-row, .item-add, .plan-section.editing");
  }

  // --- Reorder ----------------------------------------------------------------------

  function liveNodes(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.matches("li.node[data-id]:not(.deleted)");
    });
  }

  function move(button) {
    var node = button.closest("li.node");
    var list = node && node.parentElement;
    var scope = node && node.closest(".reorder-scope");
    if (!list || !scope) return;
    var kind = scope.dataset.kind;
    var siblings = liveNodes(list);
    var index = siblings.indexOf(node);
    var other = siblings[button.dataset.move === "up" ? index - 1 : index + 1];
    if (!other) return;
    // Positions span the whole scope (all kinds of knowledge points, all four SWOT
    // quadrants): post every live item of it, with these two swapped.
    var ids = [];
    scope.querySelectorAll('ul.items[data-kind="' + kind + '"]').forEach(function (ul) {
      if (ul.closest(".reorder-scope") !== scope) return;
      liveNodes(ul).forEach(function (li) { ids.push(li.dataset.id); });
    });
    var a = ids.indexOf(node.dataset.id);
    var b = ids.indexOf(other.dataset.id);
    ids[a] = other.dataset.id;
    ids[b] = node.dataset.id;
    // Only the reorder's own swap restores this focus: another request settling first
    // (a form closing) must not take it.
    refocus = { id: node.id, selector: '[data-move="' + button.dataset.move + '"]', target: scope.id };
    htmx.ajax("POST", scope.dataset.reorderUrl, {
      source: button,
      target: scope,
      swap: "outerHTML",
      values: { ids: ids.join(","), parent: scope.dataset.parent || "" },
    });
  }

  // The item's text opens its form as its Edit link does (one set of htmx attributes
  // per item keeps a plan of hundreds of items light).
  function openItem(main) {
    var row = main.closest(".item-row");
    var edit = row && row.querySelector(".item-tools a.edit");
    if (!edit) return;
    refocus = { id: row.id, selector: ".item-main" };
    edit.click();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-move]");
    if (button && inPage(button)) {
      event.preventDefault();
      move(button);
      return;
    }
    var main = event.target.closest && event.target.closest(".item-main[role=button]");
    if (main && inPage(main)) {
      if (window.getSelection && String(window.getSelection()).length) return; // selecting text
      openItem(main);
      return;
    }
    // Remember where the focus goes back to when a form or row is swapped.
    var trigger = event.target.closest && event.target.closest(
      "[data-cancel], .item-main, .item-tools a, .item-tools button, .undo, .add-button, [data-opens-form]"
    );
    if (!trigger || !inPage(trigger)) return;
    var holder = trigger.closest("li.node, .item-add, .plan-section");
    if (trigger.matches("[data-cancel]") || trigger.matches(".item-main, .item-tools a")) {
      var row = rowOf(trigger);
      if (row) refocus = { id: row.id, selector: ".item-main, .add-button, [data-opens-form]" };
    } else if (trigger.matches(".item-tools button.danger")) {
      refocus = { id: holder.id, selector: ".undo" };
    } else if (trigger.matches(".undo")) {
      refocus = { id: holder.id, selector: ".item-main" };
    }
  });

  // --- Keyboard ---------------------------------------------------------------------

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!inPage(target)) return;
    var form = target.closest("form.item-form, form.fields-form");
    if (form && event.key === "Escape") {
      var cancel = form.querySelector("[data-cancel]");
      if (cancel) {
        event.preventDefault();
        var row = rowOf(form);
        refocus = { id: row.id, selector: ".item-main, .add-button, [data-opens-form]" };
        htmx.trigger(cancel, "click");
      }
      return;
    }
    // Ctrl+Enter saves from a text area (Enter alone makes a new line).
    if (form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (target.matches(".item-main[role=button]") && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openItem(target);
    }
  });

  // --- Responses --------------------------------------------------------------------

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (!inPage(event.detail.elt)) return;
    var message = status === 403
      ? "You can no longer change this plan (it may have been approved meanwhile). Reload the page."
      : status === 404
        ? "This item no longer exists. Reload the page to see the plan as it is."
        : "The change was not saved (the server answered " + status + "). Reload the page and try again.";
    say(message);
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (inPage(event.detail.elt)) say("The server could not be reached: the change was not saved.");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && inPage(event.detail.elt)) say("");
  });

  // After a save, the Add form opens again, empty, for the next item.
  document.addEventListener("strata:reopen-add", function (event) {
    var area = document.getElementById(event.detail.id);
    var button = area && area.querySelector(".add-button");
    if (button) htmx.trigger(button, "click");
  });

  function focusField(root) {
    var field = root.querySelector(
      ".has-error textarea, .has-error input:not([type=hidden]), .has-error select, textarea, input:not([type=hidden]), select"
    );
    if (field) {
      field.focus();
      if (field.tagName === "TEXTAREA") field.setSelectionRange(field.value.length, field.value.length);
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    // The element that asked (a Move button, a Delete button) may be gone with the swap.
    if (!page()) return;
    // A form just opened (or came back with errors or a conflict): its first field.
    var target = event.detail.target;
    var swapped = target && target.id ? document.getElementById(target.id) : null;
    if (swapped && swapped.querySelector("form.item-form, form.fields-form")) {
      var conflict = swapped.querySelector(".conflict");
      if (conflict) conflict.scrollIntoView({ block: "nearest" });
      focusField(swapped);
      refocus = null;
      return;
    }
    if (!refocus) return;
    if (refocus.target && !(target && target.id === refocus.target)) return;
    var holder = document.getElementById(refocus.id);
    var goal = holder && (holder.matches(refocus.selector) ? holder : holder.querySelector(refocus.selector));
    if (goal && goal.disabled) {
      goal = holder.querySelector('[data-move]:not([disabled])');
    }
    if (goal) goal.focus();
    refocus = null;
  });
})();
