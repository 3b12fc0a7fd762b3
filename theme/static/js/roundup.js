/* Tech Roundup article pages: one popup for two kinds of link in the body.
   Loaded with `defer`; every page works without it (so does a browser too
   old for its ES2015 syntax: it just does not run it).
   - a.entity: the entity's short description, read from "Entities in this
     article" (#entities [data-entity="SLUG"] .entity-desc), in a tooltip.
   - a.cite to a paragraph of this page (href="#para-N"): a preview of the
     start of that paragraph, with a "Go to paragraph N" link.
   The popup opens on hover and on keyboard focus, stays while the pointer is
   over it (WCAG 1.4.13), and closes on Escape, blur, resize or a tap
   elsewhere. A tap on a citation only previews it; a second tap, or "Go to",
   jumps. Mouse clicks and Enter follow links at once.
   The glossary's type filter is in glossary.js. */
(() => {
  "use strict";
  const doc = document,
    LINKS = 'a.entity[data-entity],a.cite[href^="#para-"]',
    body = doc.querySelector(".article-body");
  if (!body || !doc.querySelector(LINKS)) return;

  const squash = s => s.replace(/\s+/g, " ").trim(),
    descs = new Map();
  doc.querySelectorAll("#entities [data-entity] .entity-desc").forEach(el => {
    const desc = squash(el.textContent);
    if (desc) descs.set(el.closest("[data-entity]").dataset.entity, desc);
  });

  // The two popups live in <main>, which (like <body>) is not positioned:
  // page coordinates place them. "Go to" is for pointer and touch users (the
  // keyboard has the citation itself), so it is outside the tab order.
  doc.querySelector("main").insertAdjacentHTML(
    "beforeend",
    '<div class="popup entity-tooltip" id="entity-tooltip" role="tooltip" hidden></div>' +
      '<div class="popup cite-preview" hidden><div id="cite-preview" role="tooltip">' +
      '<p class="cite-preview-title"></p><p class="cite-preview-text"></p></div>' +
      '<a class="cite-preview-go" tabindex="-1"></a></div>'
  );
  const tip = doc.getElementById("entity-tooltip"),
    preview = tip.nextSibling,
    [title, text] = preview.querySelectorAll("p"),
    go = preview.querySelector("a");

  let cur = null, // the link whose popup is shown
    box = null, // and that popup
    tapped = null, // cur, when a tap opened it
    pointer = "", // the kind of the last pointer pressed; "" after a key
    timer = 0;

  const isCite = a => a.matches(".cite");
  // The link at `node` that has something to show, if any: a citation of a
  // paragraph of the article, an entity with a description.
  const link = node => {
    const a = node.closest(LINKS);
    const ok = a && (isCite(a) ? body.contains(doc.getElementById(a.hash.slice(1))) : descs.has(a.dataset.entity));
    return ok ? a : null;
  };
  const inside = node => !!(cur && node && (box.contains(node) || cur.contains(node)));
  const byKeyboard = a => doc.activeElement === a && !pointer;

  // A paragraph's text (without its "¶ N"), cut at a word after at most `max`
  // characters (about 60 words).
  function start(para, max = 400) {
    const full = squash(para.innerText).replace(/^¶ \d+ /, "");
    if (full.length <= max) return full;
    let end = full.lastIndexOf(" ", max);
    if (end < max / 2) end = /[\ud800-\udbff]/.test(full[max - 1]) ? max - 1 : max;
    return full.slice(0, end).replace(/[\s,;:.–—-]+$/, "") + "…";
  }

  function show(a) {
    clearTimeout(timer);
    if (a === cur) return;
    hide();
    if (isCite(a)) {
      const n = a.hash.slice(6); // "#para-N"
      box = preview;
      title.textContent = "Paragraph " + n;
      text.textContent = start(doc.getElementById("para-" + n));
      go.href = a.hash;
      go.textContent = `Go to paragraph ${n} →`;
    } else {
      box = tip;
      tip.textContent = descs.get(a.dataset.entity);
    }
    cur = a;
    a.setAttribute("aria-describedby", box === tip ? tip.id : "cite-preview");
    box.hidden = false;
    place(a);
  }

  function hide() {
    clearTimeout(timer);
    if (!cur) return;
    cur.removeAttribute("aria-describedby");
    box.hidden = true;
    cur = tapped = null;
  }

  // Under the first line of the link (or above it, when only that fits, or
  // on the roomier side, cut to fit), always 8px inside the viewport.
  function place(a) {
    const r = a.getClientRects()[0] || a.getBoundingClientRect(),
      s = box.style;
    s.left = s.top = s.maxHeight = "";
    let h = box.offsetHeight;
    const below = innerHeight - r.bottom - 14, // room under the link
      above = r.top - 14, // and over it
      up = h > below && (h <= above || above > below),
      room = Math.max(0, up ? above : below),
      right = doc.documentElement.clientWidth - box.offsetWidth - 8;
    if (h > room) s.maxHeight = (h = room) + "px";
    s.left = scrollX + Math.max(8, Math.min(r.left, right)) + "px";
    s.top = scrollY + (up ? r.top - 6 - h : r.bottom + 6) + "px";
  }

  const on = (type, handler) => doc.addEventListener(type, handler);
  on("pointerover", e => {
    if (e.pointerType === "touch") return; // taps: see "click"
    const a = link(e.target);
    if (a) show(a);
    else if (inside(e.target)) clearTimeout(timer);
  });
  on("pointerout", e => {
    if (e.pointerType === "touch" || !inside(e.target) || inside(e.relatedTarget)) return;
    timer = setTimeout(() => {
      if (!tapped && !byKeyboard(cur)) hide();
    }, 150);
  });
  on("pointerdown", e => {
    pointer = e.pointerType;
    if (!inside(e.target)) hide();
  });
  on("focusin", e => {
    const a = link(e.target);
    if (a && byKeyboard(a)) show(a);
  });
  on("focusout", e => {
    if (inside(e.target) && !inside(e.relatedTarget)) hide();
  });
  on("click", e => {
    if (go.contains(e.target)) {
      setTimeout(hide); // once it has jumped
      return;
    }
    const a = link(e.target);
    if (a && isCite(a) && (e.pointerType || pointer) === "touch" && tapped !== a) {
      e.preventDefault(); // a first tap only previews
      show(a);
      tapped = a;
    } else if (a) hide();
  });
  on("keydown", e => {
    pointer = "";
    if (!cur || e.key !== "Escape") return;
    if (box.contains(doc.activeElement)) cur.focus();
    hide();
  });
  addEventListener("resize", hide);
})();
