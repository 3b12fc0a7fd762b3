/* Tech Roundup: small progressive enhancements, loaded with `defer`.
   Every page works without this file.
   1. Entity tooltips: hovering or focusing an a.entity link in an article
      shows the entity's short description, read from the "Entities in this
      article" list (#entities [data-entity="SLUG"] .entity-desc).
   2. Glossary: buttons that filter the A–Z list by entity type (they replace
      the plain links to the per-type sections). */
(function () {
  "use strict";

  var doc = document;

  function cssString(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
  }

  /* ---- 1. Entity tooltips ---- */
  function initTooltips() {
    var list = doc.getElementById("entities");
    if (!list || !doc.querySelector("a.entity[data-entity]")) return;

    var tip = doc.createElement("div");
    tip.id = "entity-tooltip";
    tip.className = "entity-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    doc.body.appendChild(tip);

    var current = null;
    var hideTimer = 0;
    var GAP = 6;
    var EDGE = 8;

    function description(link) {
      var slug = link.getAttribute("data-entity");
      var el = slug && list.querySelector('[data-entity="' + cssString(slug) + '"] .entity-desc');
      return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
    }

    function place(link) {
      // The first line box of the link, so wrapped links anchor sensibly.
      var rects = link.getClientRects();
      var r = rects.length ? rects[0] : link.getBoundingClientRect();
      var vw = doc.documentElement.clientWidth;
      var vh = window.innerHeight;
      tip.style.left = "0px";
      tip.style.top = "0px";
      tip.style.maxWidth = Math.max(0, Math.min(320, vw - 2 * EDGE)) + "px";
      var w = tip.offsetWidth;
      var h = tip.offsetHeight;
      var left = Math.max(EDGE, Math.min(r.left, vw - w - EDGE));
      var top = r.bottom + GAP;
      if (top + h > vh - EDGE && r.top - h - GAP >= EDGE) top = r.top - h - GAP;
      tip.style.left = Math.round(left + window.pageXOffset) + "px";
      tip.style.top = Math.round(top + window.pageYOffset) + "px";
    }

    function show(link) {
      clearTimeout(hideTimer);
      if (current === link) return;
      var text = description(link);
      if (!text) {
        hide();
        return;
      }
      if (current) current.removeAttribute("aria-describedby");
      current = link;
      tip.textContent = text;
      link.setAttribute("aria-describedby", tip.id);
      tip.hidden = false;
      place(link);
    }

    function hide() {
      clearTimeout(hideTimer);
      if (!current) return;
      current.removeAttribute("aria-describedby");
      current = null;
      tip.hidden = true;
    }

    function hideSoon() {
      clearTimeout(hideTimer);
      // A short delay lets the pointer move onto the tooltip (WCAG 1.4.13).
      hideTimer = setTimeout(function () {
        if (current && doc.activeElement === current) return;
        hide();
      }, 150);
    }

    function entityLink(node) {
      return node && node.closest ? node.closest("a.entity[data-entity]") : null;
    }

    doc.addEventListener("mouseover", function (e) {
      var link = entityLink(e.target);
      if (link) show(link);
      else if (tip.contains(e.target)) clearTimeout(hideTimer);
    });
    doc.addEventListener("mouseout", function (e) {
      var from = entityLink(e.target) || (tip.contains(e.target) ? tip : null);
      if (!from || !current) return;
      var to = e.relatedTarget;
      if (to && (current.contains(to) || tip.contains(to))) return;
      hideSoon();
    });
    doc.addEventListener("focusin", function (e) {
      var link = entityLink(e.target);
      if (link) show(link);
    });
    doc.addEventListener("focusout", function (e) {
      if (entityLink(e.target) === current) hide();
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") hide();
    });
    window.addEventListener("resize", hide);
  }

  /* ---- 2. Glossary type filter ---- */
  function initGlossaryFilter() {
    var nav = doc.querySelector(".type-filter");
    var az = doc.getElementById("glossary-az");
    if (!nav || !az) return;
    var links = nav.querySelectorAll("a[data-filter-type]");
    if (!links.length) return;

    var items = az.querySelectorAll("li[data-type]");
    var groups = az.querySelectorAll(".letter-group");
    var bar = doc.createElement("div");
    bar.className = "filter-buttons";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-labelledby", "filter-buttons-label");
    var label = doc.createElement("span");
    label.id = "filter-buttons-label";
    label.className = "filter-label";
    label.textContent = "Filter by type:";
    bar.appendChild(label);
    var status = doc.createElement("p");
    status.className = "filter-status";
    status.setAttribute("aria-live", "polite");
    var buttons = [];

    function apply(type) {
      var shown = 0;
      Array.prototype.forEach.call(items, function (li) {
        var hidden = !!type && li.getAttribute("data-type") !== type;
        li.hidden = hidden;
        if (!hidden) shown += 1;
      });
      Array.prototype.forEach.call(groups, function (g) {
        var empty = !g.querySelector("li[data-type]:not([hidden])");
        g.hidden = empty;
        var jump = doc.querySelector('.letter-jump a[href="#' + cssString(g.id) + '"]');
        if (jump && jump.parentNode) jump.parentNode.hidden = empty;
      });
      buttons.forEach(function (pair) {
        pair[0].setAttribute("aria-pressed", String(pair[1] === type));
      });
      status.textContent = type ? "Showing " + shown + " of " + items.length + " entries." : "";
    }

    function addButton(type, label) {
      var b = doc.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", function () { apply(type); });
      bar.appendChild(b);
      buttons.push([b, type]);
    }

    addButton("", "All types");
    Array.prototype.forEach.call(links, function (a) {
      addButton(a.getAttribute("data-filter-type"), a.getAttribute("data-filter-label") || a.textContent.trim());
    });
    // The buttons take the place of the no-JS list of links to the
    // per-type sections (those sections stay at the end of the page).
    nav.parentNode.insertBefore(bar, nav);
    nav.parentNode.insertBefore(status, nav);
    nav.hidden = true;
    apply("");
  }

  initTooltips();
  initGlossaryFilter();
})();
