// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Issued packs: a row still queued or generating (data-issued-poll) asks the
// server for its state every few seconds and is replaced by the answer; the
// page's live region (data-issued-announce) says when it is done. Without
// this file, reloading the page shows the same.
(function () {
  var INTERVAL = 3000;
  var announcer = document.querySelector("[data-issued-announce]");

  function poll(row, delay) {
    window.setTimeout(function () {
      fetch(row.getAttribute("data-issued-poll"), { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          var fresh = template.content.querySelector("tr");
          if (!fresh) {
            return;
          }
          row.replaceWith(fresh);
          if (fresh.hasAttribute("data-issued-poll")) {
            poll(fresh, INTERVAL);
          } else if (announcer) {
            announcer.textContent = fresh.getAttribute("data-issued-label");
          }
        })
        .catch(function () {
          poll(row, Math.min(delay * 2, 60000)); // the server or network is busy: ask less often
        });
    }, delay);
  }

  document.querySelectorAll("[data-issued-poll]").forEach(function (row) {
    poll(row, INTERVAL);
  });
})();

// After a failed submit the page opens on its error summary (#error-summary,
// tabindex="-1"), so keyboard and screen-reader users hear what went wrong
// first; each link in it moves focus to its field. Without this file the
// summary is still announced (role="alert") and its links still jump.
(function () {
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();

// Tables marked .table-stack become one card per row on a phone
// (static/css/small-screens.css); each cell is labelled there with its
// column's heading, copied here into data-label (a cell's own data-label is
// kept; a heading with data-stack-label="" gives its cells none). The explicit
// roles keep the rows and headings a table for screen readers, which drop a
// table's meaning once its cells are display: block. Without this file the
// cards show without labels.
(function () {
  function headingText(th) {
    if (th.hasAttribute("data-stack-label")) {
      return th.getAttribute("data-stack-label");
    }
    var copy = th.cloneNode(true);
    copy.querySelectorAll(".visually-hidden, [aria-hidden='true']").forEach(function (hidden) {
      hidden.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var labels = [];
    var headings = table.tHead && table.tHead.rows[0];
    if (!headings) {
      return;
    }
    Array.prototype.forEach.call(headings.cells, function (th) {
      for (var i = 0; i < th.colSpan; i++) {
        labels.push(headingText(th));
      }
    });
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      row.parentNode.setAttribute("role", "rowgroup");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TH") {
          cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
        } else {
          cell.setAttribute("role", "cell");
          if (cell.colSpan === 1 && labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
        }
        column += cell.colSpan;
      });
    });
  });
})();

// On a phone a list's filters fold away under their "Filter and sort" heading,
// unless some are set, so that the list itself is on the first screen.
(function () {
  var filters = document.querySelector("details.filter-details");
  if (filters && !window.location.search && window.matchMedia("(max-width: 767.98px)").matches) {
    filters.open = false;
  }
})();
