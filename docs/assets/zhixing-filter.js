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
  function init() {
    nameTheSearchDialog();
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
