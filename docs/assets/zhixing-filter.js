// Filters for generated tables (问题清单): each <select data-zx-filter="NAME"> inside a
// .zx-filters block keeps the rows of the table it names whose data-NAME matches. Written for
// this site, no library, no network; without JavaScript every row stays visible.
(function () {
  function apply(block) {
    var table = document.getElementById(block.getAttribute("data-zx-table"));
    if (!table) return;
    var selects = block.querySelectorAll("select[data-zx-filter]");
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var keep = true;
      for (var j = 0; j < selects.length; j++) {
        var want = selects[j].value, name = selects[j].getAttribute("data-zx-filter");
        if (want && rows[i].getAttribute("data-" + name) !== want) keep = false;
      }
      rows[i].hidden = !keep;
      if (keep) shown++;
    }
    var count = block.querySelector(".zx-count");
    if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 条";
  }
  function nameTheSearchDialog() {
    // Material's search dialog has no accessible name: give it one (screen readers announce "搜索").
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }
  function labelTableCells() {
    // On a phone every table reads as cards (zhixing.css, table[data-zx-cards]): each cell carries its column's
    // header as a label. Without JavaScript the tables simply scroll inside their own box.
    var tables = document.querySelectorAll(".md-typeset table");
    for (var t = 0; t < tables.length; t++) {
      var heads = tables[t].querySelectorAll("thead th");
      if (!heads.length) continue;
      var rows = tables[t].querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        for (var c = 0; c < rows[r].cells.length && c < heads.length; c++) {
          rows[r].cells[c].setAttribute("data-label", heads[c].textContent.trim());
        }
      }
      tables[t].setAttribute("data-zx-cards", "");
    }
  }
  function init() {
    nameTheSearchDialog();
    labelTableCells();
    var blocks = document.querySelectorAll(".zx-filters[data-zx-table]");
    for (var i = 0; i < blocks.length; i++) {
      (function (block) {
        var selects = block.querySelectorAll("select[data-zx-filter]");
        for (var j = 0; j < selects.length; j++) selects[j].addEventListener("change", function () { apply(block); });
        apply(block);
      })(blocks[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
