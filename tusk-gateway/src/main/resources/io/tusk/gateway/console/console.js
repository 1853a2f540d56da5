// Tusk console: polls this gateway's /console/api and draws the network. No framework, no external resources.
// Every value from the network is written with textContent, never as HTML.
"use strict";

(function () {
  const OVERVIEW_EVERY_MS = 5000;
  const STATS_EVERY_MS = 2000;
  const HISTORY_POINTS = 60;
  const PAGES = ["overview", "shards", "blobs"];
  const TITLES = { overview: "Network overview", shards: "Committee and shards", blobs: "Blob lookup" };

  const state = {
    overview: null,
    epochView: "current",
    lastStats: null,
    lastNodeTotals: null,
    lookedUp: null,
    series: { requests: [], latency: [], slivers: [] },
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "class") {
        node.className = value;
      } else {
        node.setAttribute(key, value);
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) {
        continue;
      }
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------------------- formatting

  function bytes(n) {
    if (n === null || n === undefined) {
      return "–";
    }
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? value.toFixed(0) : value.toFixed(1)) + " " + units[unit];
  }

  function count(n) {
    return n === null || n === undefined ? "–" : Number(n).toLocaleString("en");
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return "–";
    }
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + " min";
    }
    if (seconds < 86400) {
      return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
    }
    return Math.floor(seconds / 86400) + " d " + Math.floor((seconds % 86400) / 3600) + " h";
  }

  function shortId(id) {
    return id && id.length > 16 ? id.slice(0, 8) + "…" + id.slice(-6) : id;
  }

  /** Shard indices as ranges: 0–3, 7, 9–12. */
  function ranges(shards) {
    const sorted = [...shards].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i < sorted.length; i++) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) {
        j++;
      }
      out.push(i === j ? String(sorted[i]) : sorted[i] + "–" + sorted[j]);
      i = j;
    }
    return out.join(", ");
  }

  function badge(text, kind) {
    return el("span", { class: "badge " + kind }, text);
  }

  function statusBadge(status) {
    if (status === "Active") {
      return badge("Active", "ok");
    }
    if (status === "unreachable") {
      return badge("Unreachable", "bad");
    }
    return badge(status || "unknown", "warn");
  }

  // ---------------------------------------------------------------------------------------------------- data

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    let body = null;
    try {
      body = await response.json();
    } catch (ignored) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error && body.error.message ? body.error.message : "HTTP " + response.status;
      throw new Error(message);
    }
    return body && body.success ? body.success.data : body;
  }

  function showError(id, error) {
    const box = $(id);
    if (error) {
      box.textContent = "Could not load: " + (error.message || String(error));
      box.hidden = false;
    } else {
      box.hidden = true;
      box.textContent = "";
    }
  }

  function nodeNames() {
    const names = {};
    const o = state.overview;
    if (!o) {
      return names;
    }
    for (const m of (o.committee || []).concat(o.previousCommittee || [])) {
      names[m.nodeId] = m.name;
    }
    return names;
  }

  async function refreshOverview() {
    try {
      const overview = await getJson("/console/api/overview");
      state.overview = overview;
      showError("overview-error", null);
      showError("shards-error", null);
      renderOverview(overview);
      renderShards();
      recordNodeTotals(overview);
      $("updated").textContent = "Updated " + new Date().toLocaleTimeString("en-GB");
    } catch (error) {
      showError("overview-error", error);
      showError("shards-error", error);
      $("updated").textContent = "Not updated: the gateway or the control plane did not answer";
    }
  }

  async function refreshStats() {
    let stats;
    try {
      stats = await getJson("/console/api/stats");
    } catch (error) {
      return; // the overview reports the outage; charts keep their last points
    }
    const last = state.lastStats;
    state.lastStats = stats;
    if (!last) {
      return;
    }
    const seconds = Math.max(0.001, (stats.timeMillis - last.timeMillis) / 1000);
    const reads = stats.reads - last.reads;
    const writes = stats.writes - last.writes;
    push(state.series.requests, [reads / seconds, writes / seconds]);
    push(state.series.latency, [
      reads > 0 ? ((stats.readSeconds - last.readSeconds) / reads) * 1000 : null,
      writes > 0 ? ((stats.writeSeconds - last.writeSeconds) / writes) * 1000 : null,
    ]);
    drawChart("chart-requests", state.series.requests, "requests per second", "latest-requests", (v) => v.toFixed(1) + "/s");
    drawChart("chart-latency", state.series.latency, "milliseconds", "latest-latency", (v) => v.toFixed(1) + " ms");
  }

  function recordNodeTotals(overview) {
    let read = 0;
    let written = 0;
    for (const n of overview.nodes) {
      read += n.sliversRead || 0;
      written += n.sliversWritten || 0;
    }
    const now = Date.now();
    const last = state.lastNodeTotals;
    state.lastNodeTotals = { read, written, now };
    if (last && read >= last.read && written >= last.written) {
      const seconds = Math.max(0.001, (now - last.now) / 1000);
      push(state.series.slivers, [(read - last.read) / seconds, (written - last.written) / seconds]);
      drawChart("chart-slivers", state.series.slivers, "slivers per second", "latest-slivers", (v) => v.toFixed(1) + "/s");
    }
  }

  function push(series, point) {
    series.push(point);
    while (series.length > HISTORY_POINTS) {
      series.shift();
    }
  }

  // ---------------------------------------------------------------------------------------------------- overview

  function renderOverview(o) {
    $("sum-epoch").textContent = o.epoch.epoch + (o.epoch.state === "changeDone" ? "" : " (changing)");
    const healthy = o.nodes.filter((n) => n.status === "Active").length;
    const members = o.nodes.filter((n) => n.inCommittee).length;
    $("sum-nodes").textContent = healthy + " of " + members;
    $("sum-blobs").textContent = count(o.counts.blobIds);
    $("sum-spaces").textContent = o.counts.spaces === null || o.counts.spaces === undefined ? "unknown"
      : count(o.counts.spaces);
    $("sum-bytes").textContent = bytes(o.nodes.reduce((sum, n) => sum + (n.storedBytes || 0), 0));
    $("sum-recovery").textContent = count(o.nodes.reduce((sum, n) => sum + (n.recoveryPending || 0), 0)) + " blobs";

    const body = $("nodes").tBodies[0];
    body.replaceChildren(...o.nodes.map((n) => {
      const slivers = n.primarySlivers === null ? "–" : count(n.primarySlivers + n.secondarySlivers);
      const recovery = n.recoveryPending === null ? "–"
        : count(n.recoveryPending) + " pending, " + count(n.sliversRecovered) + " rebuilt";
      const name = el("th", { scope: "row" }, el("a", { href: n.url + "/v1/health" }, n.name));
      if (!n.inCommittee) {
        name.append(" (left)");
      }
      const status = el("td", {}, statusBadge(n.status));
      if (n.error) {
        status.append(" ", el("span", { class: "muted" }, n.error));
      }
      return el("tr", {}, name, status,
        el("td", { class: "num" }, n.epoch === null ? "–" : n.epoch),
        el("td", { class: "num" }, n.ownedShards === null ? "–" : n.ownedShards),
        el("td", { class: "num" }, bytes(n.storedBytes)),
        el("td", { class: "num" }, slivers),
        el("td", { class: "num" }, count(n.storedBlobs)),
        el("td", {}, recovery),
        el("td", {}, n.shardSyncInProgress ? count(n.shardSyncInProgress) + " shards" : (n.shardSyncInProgress === 0 ? "idle" : "–")),
        el("td", { class: "num" }, count(n.eventCursor)),
        el("td", { class: "num" }, duration(n.uptimeSeconds)));
    }));

    const names = nodeNames();
    $("events").replaceChildren(...o.recentEvents.map((e) => el("li", { value: String(e.cursor + 1) }, ...describe(e, names))));
  }

  function blobLink(id) {
    return el("a", { href: "#/blobs/" + id }, el("code", {}, shortId(id)));
  }

  /** An event as a short sentence, blob IDs linked to their lookup. */
  function describe(e, names) {
    const node = (id) => names[id] || shortId(id);
    const head = el("strong", {}, e.type);
    const epoch = " (epoch " + e.epoch + ")";
    switch (e.type) {
      case "blobRegistered":
        return [head, " ", blobLink(e.blobId), ", " + bytes(e.size) + ", until epoch " + e.endEpoch + (e.deletable ? ", deletable" : ""), epoch];
      case "blobCertified":
        return [head, " ", blobLink(e.blobId), e.isExtension ? ", extended to epoch " + e.endEpoch : ", until epoch " + e.endEpoch, epoch];
      case "blobDeleted":
        return [head, " ", blobLink(e.blobId), epoch];
      case "invalidBlobId":
        return [head, " ", blobLink(e.blobId), epoch];
      case "nodeRegistered":
      case "shardsSynced":
      case "nodeLeft":
        return [head, " ", node(e.nodeId), epoch];
      case "stakeChanged":
        return [head, " ", node(e.nodeId), " to " + count(e.stake), epoch];
      case "spaceCreated":
        return [head, " ", el("code", {}, e.name), e.encrypted ? ", encrypted" : "", epoch];
      case "spaceCommitted":
        return [head, " ", el("code", {}, e.name), ", version " + e.version, epoch];
      case "bucketCreated":
      case "bucketDeleted":
        return [head, " ", el("code", {}, e.name), epoch];
      default:
        return [head, epoch];
    }
  }

  // ---------------------------------------------------------------------------------------------------- charts

  const SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) {
      node.setAttribute(key, String(value));
    }
    return node;
  }

  /** Two series (reads, writes) over the last points, with the latest values written out for everyone. */
  function drawChart(figureId, points, unit, latestId, format) {
    const figure = $(figureId);
    const width = 320;
    const height = 120;
    const pad = { left: 34, right: 6, top: 6, bottom: 14 };
    let max = 0;
    for (const p of points) {
      for (const v of p) {
        if (v !== null && v > max) {
          max = v;
        }
      }
    }
    max = max <= 0 ? 1 : max * 1.1;
    const x = (i) => pad.left + (i * (width - pad.left - pad.right)) / Math.max(1, HISTORY_POINTS - 1);
    const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
    const titleId = figureId + "-title";
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-labelledby": titleId,
      preserveAspectRatio: "none" });
    const title = svg("title", { id: titleId });
    const last = points.length ? points[points.length - 1] : [null, null];
    title.textContent = figure.querySelector("figcaption").firstChild.textContent.trim() + " " +
      "latest: reads " + (last[0] === null ? "none" : format(last[0])) + ", writes " + (last[1] === null ? "none" : format(last[1]));
    chart.append(title);
    chart.append(svg("line", { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, stroke: "#6b6b6b" }));
    chart.append(svg("line", { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, stroke: "#6b6b6b" }));
    const top = svg("text", { x: pad.left - 4, y: pad.top + 8, "text-anchor": "end", "font-size": 10, fill: "#1a1a1a" });
    top.textContent = max >= 100 ? max.toFixed(0) : max.toFixed(1);
    const zero = svg("text", { x: pad.left - 4, y: height - pad.bottom, "text-anchor": "end", "font-size": 10, fill: "#1a1a1a" });
    zero.textContent = "0";
    chart.append(top, zero);
    const offset = HISTORY_POINTS - points.length;
    ["#0b5cad", "#a3400a"].forEach((colour, s) => {
      let path = "";
      points.forEach((p, i) => {
        if (p[s] === null) {
          return;
        }
        path += (path ? " L" : "M") + x(i + offset).toFixed(1) + " " + y(p[s]).toFixed(1);
      });
      if (path) {
        chart.append(svg("path", { d: path, fill: "none", stroke: colour, "stroke-width": 2,
          "stroke-dasharray": s === 1 ? "5 3" : "none" }));
      }
    });
    const existing = figure.querySelector("svg");
    if (existing) {
      existing.replaceWith(chart);
    } else {
      figure.prepend(chart);
    }
    $(latestId).textContent = "Latest " + unit + ": reads " + (last[0] === null ? "none" : format(last[0])) +
      ", writes " + (last[1] === null ? "none" : format(last[1]));
  }

  // ---------------------------------------------------------------------------------------------------- shards

  function ownerNumber(name, index) {
    const digits = /(\d+)\s*$/.exec(name);
    return digits ? digits[1] : String(index + 1);
  }

  function renderShards() {
    const o = state.overview;
    if (!o) {
      return;
    }
    const previous = $("page-shards").querySelector('input[value="previous"]');
    previous.disabled = !o.previousCommittee;
    if (!o.previousCommittee && state.epochView === "previous") {
      state.epochView = "current";
      $("page-shards").querySelector('input[value="current"]').checked = true;
    }
    $("epoch-current").textContent = "current (epoch " + o.epoch.epoch + ")";
    $("epoch-previous").textContent = o.previousCommittee ? "previous (epoch " + (o.epoch.epoch - 1) + ")"
      : "previous (none in epoch 1)";
    const members = state.epochView === "previous" ? o.previousCommittee : o.committee;
    const epoch = state.epochView === "previous" ? o.epoch.epoch - 1 : o.epoch.epoch;
    $("epoch-note").textContent = state.epochView === "current"
      ? "Epoch " + epoch + ": " + (o.epoch.state === "changeDone" ? "every member holds its shards."
        : "the change into this epoch is in progress; members are still receiving shards.")
      : "Epoch " + epoch + ": who held each shard before the last change.";
    $("committee-caption").textContent = "Committee of epoch " + epoch + ": " + members.length + " nodes, " + o.shardCount + " shards";
    $("committee").tBodies[0].replaceChildren(...members.map((m) => el("tr", {},
      el("th", { scope: "row" }, m.name),
      el("td", { class: "num" }, count(m.stake)),
      el("td", { class: "num" }, m.shards.length),
      el("td", { class: "wrap" }, ranges(m.shards)))));

    const ownerOf = new Array(o.shardCount).fill(-1);
    members.forEach((m, i) => m.shards.forEach((s) => { ownerOf[s] = i; }));
    $("shardmap").setAttribute("aria-label", "Shard map of epoch " + epoch + ": " + members.map((m) =>
      m.name + " holds " + m.shards.length).join(", "));
    $("shardmap").replaceChildren(...ownerOf.map((owner, shard) => {
      const label = owner < 0 ? "–" : ownerNumber(members[owner].name, owner);
      return el("div", { class: "shard owner-" + (owner < 0 ? "none" : owner % 12),
        title: "shard " + shard + ": " + (owner < 0 ? "no owner" : members[owner].name) }, label);
    }));
    $("legend").replaceChildren(...members.map((m, i) => el("li", {},
      el("span", { class: "swatch owner-" + (i % 12), "aria-hidden": "true" }, ownerNumber(m.name, i)),
      m.name + ": " + m.shards.length + " shards")));
  }

  // ---------------------------------------------------------------------------------------------------- blobs

  async function lookup(blobId) {
    $("blob-id").value = blobId;
    showError("blob-error", null);
    $("blob-result").hidden = true;
    if (!/^[A-Za-z0-9_-]{43}$/.test(blobId)) {
      showLookupError("A blob ID is 43 characters of letters, digits, - and _.");
      return;
    }
    let result;
    try {
      result = await getJson("/console/api/blobs/" + encodeURIComponent(blobId));
    } catch (error) {
      showLookupError(error.message || String(error));
      return;
    }
    state.lookedUp = blobId;
    renderBlob(result);
  }

  function showLookupError(message) {
    const box = $("blob-error");
    box.textContent = message;
    box.hidden = false;
  }

  function statusText(status) {
    if (status === "nonexistent") {
      return "nonexistent (never registered, expired or deleted)";
    }
    if (status.invalid) {
      return "invalid (inconsistently encoded)";
    }
    if (status.permanent) {
      return (status.permanent.isCertified ? "certified" : "registered, not certified") + ", permanent, until epoch " +
        status.permanent.endEpoch;
    }
    if (status.deletable) {
      const c = status.deletable.deletableCounts || {};
      return "deletable: " + (c.countDeletableCertified || 0) + " certified of " + (c.countDeletableTotal || 0) + " objects";
    }
    return JSON.stringify(status);
  }

  function renderBlob(b) {
    $("blob-heading").textContent = "Blob " + shortId(b.blobId);
    const facts = [["Blob ID", el("code", {}, b.blobId)], ["Status", statusText(b.status)],
      ["Objects", String(b.objects.length)]];
    if (b.objects.length) {
      facts.push(["Size", bytes(b.objects[0].size)]);
      facts.push(["Stored until epoch", String(Math.max(...b.objects.map((o) => o.storage.endEpoch)))]);
    }
    $("blob-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    const read = $("blob-read");
    read.href = b.readPath;
    read.hidden = b.status === "nonexistent";
    $("blob-nodes-caption").textContent = "Slivers by node in epoch " + b.epoch;
    $("blob-nodes").tBodies[0].replaceChildren(...b.nodes.map((n) => el("tr", {},
      el("th", { scope: "row" }, n.name),
      el("td", {}, n.error ? badge("Unreachable", "bad") : (n.metadata === "stored" ? badge("stored", "ok") : badge(n.metadata, "warn"))),
      el("td", { class: "num" }, n.error ? "–" : n.stored + " of " + n.expected),
      el("td", { class: "wrap" }, n.error ? n.error : n.shards.map((s) => "shard " + s.shard + " (pair " + s.pair + "): " +
        s.primary + " / " + s.secondary).join("; ")))));
    $("blob-result").hidden = false;
  }

  // ---------------------------------------------------------------------------------------------------- routing

  function route(moveFocus) {
    const hash = location.hash.replace(/^#\/?/, "");
    const [first, rest] = hash.split(/\/(.*)/s);
    const page = PAGES.includes(first) ? first : "overview";
    for (const name of PAGES) {
      $("page-" + name).hidden = name !== page;
    }
    for (const link of document.querySelectorAll("nav a")) {
      if (link.dataset.page === page) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    }
    document.title = TITLES[page] + " · Tusk console";
    if (moveFocus) {
      $(page + "-title").focus();
    }
    if (page === "blobs" && rest && rest !== state.lookedUp) {
      lookup(decodeURIComponent(rest));
    }
  }

  function start() {
    route(false);
    window.addEventListener("hashchange", () => route(true));
    $("lookup").addEventListener("submit", (event) => {
      event.preventDefault();
      const id = $("blob-id").value.trim();
      if (location.hash === "#/blobs/" + id) {
        lookup(id);
      } else {
        location.hash = "#/blobs/" + id; // the lookup gets an address that can be shared
      }
    });
    for (const input of document.querySelectorAll('input[name="epoch"]')) {
      input.addEventListener("change", () => {
        state.epochView = input.value;
        renderShards();
      });
    }
    refreshOverview();
    refreshStats();
    setInterval(refreshOverview, OVERVIEW_EVERY_MS);
    setInterval(refreshStats, STATS_EVERY_MS);
  }

  start();
})();
