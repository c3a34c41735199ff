// Filters for report.html: plain DOM, no framework. Data comes from the JSON block, never from
// strings built into this script, and everything shown stays text (no innerHTML).
(function () {
  "use strict";
  var block = document.getElementById("auditor-data");
  if (!block) { return; }
  var data = JSON.parse(block.textContent);
  var byId = {};
  data.findings.forEach(function (f) { byId[f.id] = f; });
  var active = {
    severity: new Set(data.severities),
    kind: new Set(data.kinds),
    channel: new Set(data.channels),
    status: new Set(data.statuses)
  };

  // A finding shows when any of its channels is selected; the matrix keeps every column, so
  // the side that disagrees stays in view even when its channel is filtered out.
  function visible(f) {
    if (!active.severity.has(f.severity) || !active.kind.has(f.kind)) { return false; }
    // a finding has no status on a first run or without history: the status filter passes it
    if (f.status !== null && !active.status.has(f.status)) { return false; }
    if (f.channels.length === 0) { return true; }
    return f.channels.some(function (c) { return active.channel.has(c); });
  }

  function apply() {
    var shown = 0;
    data.findings.forEach(function (f) { if (visible(f)) { shown += 1; } });
    document.querySelectorAll("[data-finding]").forEach(function (el) {
      var f = byId[el.getAttribute("data-finding")];
      el.hidden = f ? !visible(f) : false;
    });
    var none = document.querySelector("tr.no-match");
    if (none) { none.hidden = shown !== 0; }
    var count = document.getElementById("shown-count");
    if (count) {
      count.textContent = shown + " of " + data.findings.length + " findings shown";
    }
    document.querySelectorAll("button[data-filter]").forEach(function (b) {
      var on = active[b.getAttribute("data-filter")].has(b.getAttribute("data-value"));
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.querySelectorAll("button[data-filter]").forEach(function (button) {
    button.addEventListener("click", function () {
      var set = active[button.getAttribute("data-filter")];
      var value = button.getAttribute("data-value");
      if (set.has(value)) { set.delete(value); } else { set.add(value); }
      apply();
    });
  });

  var reset = document.getElementById("reset-filters");
  if (reset) {
    reset.addEventListener("click", function () {
      data.severities.forEach(function (s) { active.severity.add(s); });
      data.kinds.forEach(function (k) { active.kind.add(k); });
      data.channels.forEach(function (c) { active.channel.add(c); });
      data.statuses.forEach(function (s) { active.status.add(s); });
      apply();
    });
  }
  apply();
}());
