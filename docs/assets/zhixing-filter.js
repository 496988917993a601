// The site's own script (no library, no network; without JavaScript every row stays visible and
// tables keep their order):
// - filters: each <select data-zx-filter="NAME"> inside a .zx-filters block keeps the rows whose
//   data-NAME matches, in every table the block names (data-zx-table: ids separated by spaces);
//   a row without that attribute is left alone;
// - sorting: a table with data-zx-sort sorts by a column when its header button is pressed
//   (again: the other way), by each cell's data-sort if it has one, else its text;
// - cards: on a phone every table reads as cards (labelTableCells).
(function () {
  function apply(block) {
    var ids = (block.getAttribute("data-zx-table") || "").split(/\s+/);
    var selects = block.querySelectorAll("select[data-zx-filter]");
    var shown = 0, total = 0;
    for (var t = 0; t < ids.length; t++) {
      var table = ids[t] && document.getElementById(ids[t]);
      if (!table || !table.tBodies.length) continue;
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var keep = true;
        for (var j = 0; j < selects.length; j++) {
          var want = selects[j].value, name = "data-" + selects[j].getAttribute("data-zx-filter");
          if (want && rows[i].hasAttribute(name) && rows[i].getAttribute(name) !== want) keep = false;
        }
        rows[i].hidden = !keep;
        total++;
        if (keep) shown++;
      }
    }
    var count = block.querySelector(".zx-count");
    if (count) count.textContent = "显示 " + shown + " / " + total + " 条";
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    for (var c = 0; c < heads.length; c++) {
      (function (column, th) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "zx-sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          for (var k = 0; k < heads.length; k++) heads[k].setAttribute("aria-sort", "none");
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          function key(row) {
            var cell = row.cells[column];
            return cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
          }
          rows.sort(function (a, b) {
            var x = key(a), y = key(b), nx = Number(x), ny = Number(y);
            var order = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh-Hans-CN");
            return ascending ? order : -order;
          });
          for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
        });
      })(c, heads[c]);
    }
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
    var sortables = document.querySelectorAll("table[data-zx-sort]");
    for (var s = 0; s < sortables.length; s++) sortable(sortables[s]);
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
