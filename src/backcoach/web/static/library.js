// The exercise library's search as you type: shows the exercises whose words hold every word
// typed (name, muscles, kit: the server puts them in data-search) and the chosen muscle (in
// data-muscles), opens the groups with a match and says how many. Without JavaScript the
// same form is answered by the server (web/library_search.py decides the same way).
"use strict";
(function () {
  const form = document.getElementById("library-search");
  const count = document.getElementById("library-count");
  if (!form || !count) return;
  const box = form.querySelector("input[name=q]");
  const muscle = form.querySelector("select[name=muscle]");
  const groups = Array.from(document.querySelectorAll("details.library-group[id]"))
    .filter((group) => group.querySelector("li[data-search]"));
  // Each group's state as the page came, to go back to when the search is emptied.
  const firstOpen = new Map(groups.map((group) => [group, group.open]));
  const firstCount = new Map(groups.map((group) => {
    const label = group.querySelector(".group-count");
    return [group, label ? label.textContent : ""];
  }));
  const total = groups.reduce(
    (sum, group) => sum + Number(group.querySelector(".group-count").dataset.total || 0), 0);

  function filter() {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    const wanted = muscle.value;
    const searching = words.length > 0 || wanted !== "";
    let shown = 0;
    for (const group of groups) {
      let here = 0;
      for (const item of group.querySelectorAll("li[data-search]")) {
        const text = item.dataset.search;
        const muscles = item.dataset.muscles.split(" ");
        // A word, or its singular ("bridges", "glutes"): library_search.word_found's rule.
        const found = words.every((word) => text.includes(word) ||
            (word.length > 3 && word.endsWith("s") && text.includes(word.slice(0, -1)))) &&
          (wanted === "" || muscles.includes(wanted));
        item.hidden = !found;
        if (found) here += 1;
      }
      shown += here;
      const label = group.querySelector(".group-count");
      const none = group.querySelector(".none-here");
      if (none) none.hidden = here > 0;
      if (searching) {
        group.open = here > 0;
        label.textContent = label.dataset.of
          .replace("%(shown)s", String(here)).replace("%(total)s", label.dataset.total);
      } else {
        group.open = firstOpen.get(group);
        label.textContent = firstCount.get(group);
      }
    }
    if (!searching) {
      count.textContent = "";
    } else if (shown === 0) {
      count.textContent = count.dataset.none;
    } else {
      count.textContent = count.dataset.words
        .replace("%(shown)s", String(shown)).replace("%(total)s", String(total));
    }
    // The address says the search, so going back and forth (or sharing it) keeps it.
    const address = new URL(window.location.href);
    for (const [name, value] of [["q", box.value.trim()], ["muscle", wanted]]) {
      if (value) address.searchParams.set(name, value);
      else address.searchParams.delete(name);
    }
    window.history.replaceState(null, "", address);
  }

  box.addEventListener("input", filter);
  muscle.addEventListener("change", filter);

  // "Back to all exercises" links to a group by its id: open it.
  function openTarget() {
    const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
