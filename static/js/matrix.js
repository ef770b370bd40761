// The who × who matrix: mark the cell of the pair whose panel is open. Progressive only:
// without this file the matrix and the panel work the same, without the mark.
(() => {
  const MARK = "editing";

  function markOpenPair() {
    const form = document.querySelector("#pair-panel [data-pair]");
    document.querySelectorAll(`.matrix td.${MARK}`).forEach((cell) => {
      cell.classList.remove(MARK);
      cell.removeAttribute("aria-current");
    });
    if (!form) return null;
    const [first, second] = form.dataset.pair.split("-");
    let shown = null;
    for (const id of [`c${first}-${second}`, `c${second}-${first}`]) {
      const cell = document.getElementById(id);
      if (!cell) continue;
      cell.classList.add(MARK);
      cell.setAttribute("aria-current", "true");
      shown = shown || cell;
    }
    return shown;
  }

  // The clicked cell is marked at once, before the panel arrives.
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".matrix td a");
    if (!link) return;
    document.querySelectorAll(`.matrix td.${MARK}`).forEach((cell) => {
      cell.classList.remove(MARK);
      cell.removeAttribute("aria-current");
    });
    const cell = link.closest("td");
    cell.classList.add(MARK);
    cell.setAttribute("aria-current", "true");
  });

  // After every swap into the panel (a pair opened, saved, or the next pair), and after
  // the cells swapped out of band, the mark follows the pair in the panel.
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || target.id !== "pair-panel") return;
    const cell = markOpenPair();
    const fromNextLink = event.detail.requestConfig
      && event.detail.requestConfig.elt
      && event.detail.requestConfig.elt.classList.contains("next-pair");
    if (cell && fromNextLink) {
      cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });
})();
