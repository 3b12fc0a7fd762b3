/* Tech Roundup search page: mounts Pagefind's default UI (served from the
   site's own /pagefind/ folder, written by `invoke build`) in #search, with
   every bundle of the index merged in, and runs the query from ?q=… (the
   header search form submits here). The page keeps the address in step with
   the query, so results can be shared and the Back button returns to them.
   Without JavaScript the plain form in #search stays. */
(function () {
  "use strict";

  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") return;

  /* The index comes in bundles (one per year of roundups, one for the rest),
     listed in shards.json beside Pagefind's own scripts: merge them all. */
  var script = document.querySelector('script[src$="pagefind-ui.js"]');
  var base = script ? script.src.replace(/[^/]*$/, "") : "";
  fetch(base + "shards.json")
    .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
    .catch(function () { return { shards: [] }; })
    .then(start);

  function start(manifest) {
    var merge = (manifest.shards || []).filter(function (shard) { return shard.path; });
    var params = new URLSearchParams(window.location.search);
    var query = (params.get("q") || "").trim();
    box.textContent = "";
    var ui = new window.PagefindUI({
      element: "#search",
      showSubResults: true,
      showImages: false,
      autofocus: !query,
      mergeIndex: merge.map(function (shard) { return { bundlePath: base + shard.path }; }),
      translations: { placeholder: box.getAttribute("data-placeholder") || "Search" },
    });
    if (query) ui.triggerSearch(query);
    labelInput(box, 0);
  }

  /* Pagefind's input has only a placeholder and a title: give it a visible
     label (placed before the UI, which re-renders its own markup). */
  function labelInput(container, tries) {
    var input = container.querySelector(".pagefind-ui__search-input");
    if (!input) {
      if (tries < 50) window.requestAnimationFrame(function () { labelInput(container, tries + 1); });
      return;
    }
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "search-label";
    label.textContent = container.getAttribute("data-placeholder") || "Search";
    container.parentNode.insertBefore(label, container);
  }

  var timer = 0;
  box.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("input[type=text], input[type=search]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var term = event.target.value.trim();
      var url = new URL(window.location.href);
      if (term) url.searchParams.set("q", term);
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    }, 400);
  });
})();
