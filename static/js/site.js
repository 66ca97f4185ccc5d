/* Progressive enhancement only: every page works without this file.
   1. After a failed form submit, keyboard focus moves to the error summary, so screen
      reader and keyboard users hear what went wrong first.
   2. Tables with column headers get each header copied into a data-label on their cells
      and are marked "stacked", so the stylesheet can show them as cards on a phone. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) { return; }
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
    // A link in the summary moves focus to its field, not just scrolls to it.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
    });
  }

  function columnLabels(table) {
    var headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headerRow) { return null; }
    var labels = [];
    Array.prototype.forEach.call(headerRow.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(text); }
    });
    return labels;
  }

  function stackTable(table) {
    if (table.hasAttribute("data-no-stack")) { return; }
    var labels = columnLabels(table);
    if (!labels) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) { labelRows(body.rows, labels); });
    if (table.tFoot) { labelRows(table.tFoot.rows, labels); }
    table.classList.add("stacked");
    // Some browsers drop table semantics when CSS changes a table's display; explicit
    // roles keep rows, headers and cells announced as such.
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell) {
        var scope = cell.getAttribute("scope");
        cell.setAttribute("role", cell.tagName === "TH"
          ? (scope === "row" ? "rowheader" : "columnheader") : "cell");
      });
    });
    [table.tHead].concat(Array.prototype.slice.call(table.tBodies), [table.tFoot])
      .forEach(function (group) { if (group) { group.setAttribute("role", "rowgroup"); } });
    var wrap = table.closest(".table-wrap");
    if (wrap) { wrap.classList.add("has-stacked"); }
  }

  function labelRows(rows, labels) {
    Array.prototype.forEach.call(rows, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var label = labels[column];
        if (label && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
        column += cell.colSpan || 1;
      });
    });
  }

  function start() {
    document.documentElement.classList.add("js");
    Array.prototype.forEach.call(document.querySelectorAll("table"), stackTable);
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
