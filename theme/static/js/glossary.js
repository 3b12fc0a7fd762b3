/* Tech Roundup glossary (entities.html only, loaded with `defer`): buttons
   that filter the A–Z list by entity type. They replace the plain links to
   the per-type sections (data-filter-type), which stay at the end of the
   page and are all there is without JavaScript. */
(() => {
  "use strict";
  const doc = document;
  const nav = doc.querySelector(".type-filter");
  const az = doc.getElementById("glossary-az");
  if (!nav || !az) return;
  const links = nav.querySelectorAll("a[data-filter-type]");
  if (!links.length) return;

  const items = az.querySelectorAll("li[data-type]");
  const groups = az.querySelectorAll(".letter-group");
  const bar = doc.createElement("div");
  bar.className = "filter-buttons";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-labelledby", "filter-buttons-label");
  bar.innerHTML = '<span id="filter-buttons-label" class="filter-label">Filter by type:</span>';
  const status = doc.createElement("p");
  status.className = "filter-status";
  status.setAttribute("aria-live", "polite");
  const buttons = [];

  function apply(type) {
    let shown = 0;
    items.forEach((li) => {
      li.hidden = !!type && li.dataset.type !== type;
      if (!li.hidden) shown += 1;
    });
    groups.forEach((group) => {
      const empty = !group.querySelector("li[data-type]:not([hidden])");
      group.hidden = empty;
      const jump = doc.querySelector(`.letter-jump a[href="#${CSS.escape(group.id)}"]`);
      if (jump) jump.parentNode.hidden = empty;
    });
    buttons.forEach(([button, value]) => button.setAttribute("aria-pressed", String(value === type)));
    status.textContent = type ? `Showing ${shown} of ${items.length} entries.` : "";
  }

  function addButton(type, label) {
    const button = doc.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", () => apply(type));
    bar.appendChild(button);
    buttons.push([button, type]);
  }

  addButton("", "All types");
  links.forEach((a) => addButton(a.dataset.filterType, a.dataset.filterLabel || a.textContent.trim()));
  nav.before(bar, status);
  nav.hidden = true;
  apply("");
})();
