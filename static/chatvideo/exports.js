// Export cards follow the project's event stream. An "export" event (or a
// "progress-export" tick) carries only an export id; the page fetches that
// one card from the database instead of re-rendering the whole list. An id
// with no card yet (an export made in another tab) re-fetches the list.
// A deleted export's card answers "delete" (HX-Reswap, pages/exports.py), so
// a deletion in any tab removes the card from every tab, not an error page.
// Active cards also poll themselves each second (see _export_card.html), so
// progress shows even when the worker's events cannot reach this server
// (no REDIS_URL: the in-process bus does not cross processes).
(function () {
  "use strict";

  var EXPORT_EVENTS = { "sse:export": true, "sse:progress-export": true };

  document.addEventListener("htmx:confirm", function (event) {
    var list = event.detail.elt;
    var trigger = event.detail.triggeringEvent;
    if (!list || list.id !== "export-list" || !trigger || !EXPORT_EVENTS[trigger.type]) return;
    var data;
    try {
      data = JSON.parse(trigger.detail.data);
    } catch (error) {
      return; // not ours to fetch: let the list re-render
    }
    var id = Number(data && data.export_id);
    if (!Number.isInteger(id) || id <= 0) return;
    var card = document.getElementById("export-" + id);
    if (!card) return; // the list request goes ahead
    event.preventDefault();
    var url = list.dataset.cardUrl.replace(/\/0\/$/, "/" + id + "/");
    htmx.ajax("GET", url, { target: card, swap: "outerHTML" }).catch(function () {});
  });
})();
