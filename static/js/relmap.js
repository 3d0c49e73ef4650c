// The relationship map's zoom (templates/accounts/_relationship_map.html): the SVG is
// resized, not CSS-transformed, so the scrollable viewport always knows its true size.
// The tab arrives by htmx swaps as well as page loads, and this file may run once per
// swap: listeners are attached once, on the document, and each map is set up once.
(function () {
  "use strict";
  if (window.StrataRelmap) {
    window.StrataRelmap.setUpAll();
    return;
  }

  var MIN = 0.05;
  var MAX = 2;
  var STEP = 1.25;
  var POINT = 4 / 3; // dot sizes the SVG in points; CSS pixels are 3/4 of a point

  function parts(root) {
    return {
      svg: root.querySelector(".relmap-canvas svg"),
      viewport: root.querySelector("[data-relmap-viewport]"),
      range: root.querySelector('[data-relmap-zoom="range"]'),
      output: root.querySelector("[data-relmap-zoom-value]"),
    };
  }

  function naturalSize(svg) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width) return { width: box.width * POINT, height: box.height * POINT };
    return { width: svg.width.baseVal.value, height: svg.height.baseVal.value };
  }

  function zoomTo(root, zoom) {
    var p = parts(root);
    if (!p.svg) return;
    zoom = Math.min(MAX, Math.max(MIN, zoom));
    var size = naturalSize(p.svg);
    var old = parseFloat(root.dataset.zoom || "1");
    // Keep the point at the centre of the viewport where it is.
    var centreX = (p.viewport.scrollLeft + p.viewport.clientWidth / 2) / old;
    var centreY = (p.viewport.scrollTop + p.viewport.clientHeight / 2) / old;
    p.svg.style.width = Math.round(size.width * zoom) + "px";
    p.svg.style.height = Math.round(size.height * zoom) + "px";
    p.viewport.scrollLeft = centreX * zoom - p.viewport.clientWidth / 2;
    p.viewport.scrollTop = centreY * zoom - p.viewport.clientHeight / 2;
    root.dataset.zoom = String(zoom);
    var percent = Math.round(zoom * 100);
    if (p.range) p.range.value = String(percent);
    if (p.output) p.output.textContent = percent + "%";
  }

  function fitZoom(root, both) {
    var p = parts(root);
    var size = naturalSize(p.svg);
    var byWidth = (p.viewport.clientWidth - 2) / size.width;
    var byHeight = (p.viewport.clientHeight - 2) / size.height;
    return Math.min(1, both ? Math.min(byWidth, byHeight) : byWidth);
  }

  function setUp(root) {
    if (root.dataset.relmapReady) return;
    var p = parts(root);
    if (!p.svg || !p.viewport) return;
    root.dataset.relmapReady = "1";
    root.dataset.zoom = "1";
    var controls = root.querySelector("[data-relmap-controls]");
    if (controls) controls.hidden = false;
    // Start readable: the whole width if that keeps the text legible, else 75%.
    zoomTo(root, Math.max(fitZoom(root, false), 0.75));
    p.viewport.scrollLeft = 0;
    p.viewport.scrollTop = 0;
  }

  function setUpAll() {
    document.querySelectorAll("[data-relmap-root]").forEach(setUp);
  }

  function act(root, action) {
    var zoom = parseFloat(root.dataset.zoom || "1");
    if (action === "in") zoomTo(root, zoom * STEP);
    else if (action === "out") zoomTo(root, zoom / STEP);
    else if (action === "width") zoomTo(root, fitZoom(root, false));
    else if (action === "all") zoomTo(root, fitZoom(root, true));
    else if (action === "actual") zoomTo(root, 1);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-relmap-zoom]");
    var root = button && button.closest("[data-relmap-root]");
    if (root) act(root, button.dataset.relmapZoom);
  });

  document.addEventListener("input", function (event) {
    var range = event.target;
    if (!range.matches || !range.matches('[data-relmap-zoom="range"]')) return;
    var root = range.closest("[data-relmap-root]");
    if (root) zoomTo(root, parseFloat(range.value) / 100);
  });

  // Keys on the focused map: + and − zoom, 0 is actual size, W fits the width, F shows
  // it all; the arrow keys scroll it, as in any scrollable region.
  var KEYS = { "+": "in", "=": "in", "-": "out", _: "out", 0: "actual", w: "width", f: "all" };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var viewport = event.target.closest && event.target.closest("[data-relmap-viewport]");
    var action = viewport && KEYS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    act(viewport.closest("[data-relmap-root]"), action);
  });

  // Drag to pan with a mouse (touch screens scroll natively).
  var drag = null;
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType !== "mouse" || event.button !== 0) return;
    var viewport = event.target.closest && event.target.closest("[data-relmap-viewport]");
    if (!viewport) return;
    event.preventDefault(); // no text selection while dragging
    viewport.focus({ preventScroll: true });
    drag = {
      viewport: viewport,
      x: event.clientX,
      y: event.clientY,
      left: viewport.scrollLeft,
      top: viewport.scrollTop,
    };
    viewport.classList.add("dragging");
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    drag.viewport.scrollLeft = drag.left - (event.clientX - drag.x);
    drag.viewport.scrollTop = drag.top - (event.clientY - drag.y);
  });
  document.addEventListener("pointerup", function () {
    if (drag) drag.viewport.classList.remove("dragging");
    drag = null;
  });

  document.addEventListener("htmx:afterSettle", setUpAll);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
  window.StrataRelmap = { setUpAll: setUpAll, zoomTo: zoomTo };
})();
