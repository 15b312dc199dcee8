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
