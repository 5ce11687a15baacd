// The status page: the fleet from GET /health/events, updated in place as events arrive.
//
// Every text that comes from the server (service names, error messages) goes into the page as
// textContent or an attribute value, never as markup.
"use strict";

(() => {
  /** Seconds between the stream's full snapshots: statistics have no events of their own. */
  const REFRESH_SECONDS = 5;
  /** Checks drawn in a card's latency chart. */
  const SPARK_POINTS = 30;
  const SPARK_WIDTH = 300;
  const SPARK_HEIGHT = 48;
  /** Room at the edges, so the newest point's marker is not cut in half. */
  const SPARK_PADDING = 5;
  /**
   * EventSource retries a dropped connection by itself, but gives up for good when the server
   * answers with an error status; the page then opens a new one after this long.
   */
  const REOPEN_MS = 5000;
  /**
   * How often the checks (GET /health/services) and this node's cluster state (GET /) are read
   * again: neither has an event of its own. A new service in a snapshot reads the checks at once.
   */
  const CHECKS_REFRESH_MS = 30000;
  const CLUSTER_REFRESH_MS = 10000;
  const SVG_NS = "http://www.w3.org/2000/svg";

  const HEALTH_LABELS = {
    healthy: "Healthy",
    unhealthy: "Unhealthy",
    circuit_open: "Circuit open",
    unknown: "Unknown",
    degraded: "Degraded",
  };
  /** The order of the summary's counts. */
  const SERVICE_HEALTHS = ["healthy", "unhealthy", "circuit_open", "unknown"];
  const CIRCUIT_LABELS = { closed: "closed", open: "open", half_open: "half-open" };
  const AVAILABILITY_WINDOWS = ["1h", "24h", "7d", "30d"];

  /** Cards kept above and below the screen, so a scroll does not show a blank row. */
  const OVERSCAN_ROWS = 2;
  /** A card's height before one is measured; the list then takes the tallest card's. */
  const ESTIMATED_ROW_PX = 280;

  /**
   * name → the service as the page knows it, in configured order: {name, data (its JSON from the
   * last snapshot), health, circuit, error, lastCheck, points: [{at, ms, ok}], card (its element
   * while on screen, else null)}. Only the services on screen have a card: at 10,000 services the
   * page holds a few dozen.
   */
  const services = new Map();
  /** The services that pass the search and the filters, in configured order. */
  let shown = [];
  const filter = { text: "", health: "", tag: "" };
  const list = { rowPx: ESTIMATED_ROW_PX, columns: 1, first: -1, last: -1, scheduled: false };
  const page = {
    grid: document.getElementById("services"),
    template: document.getElementById("card-template"),
    empty: document.getElementById("empty"),
    overall: document.getElementById("overall"),
    counts: document.getElementById("counts"),
    updated: document.getElementById("updated"),
    connection: document.getElementById("connection"),
    banner: document.getElementById("connection-banner"),
    configBanner: document.getElementById("config-banner"),
    configError: document.querySelector("[data-field='config-error']"),
    clusterBanner: document.getElementById("cluster-banner"),
    cluster: document.getElementById("cluster"),
    search: document.getElementById("search"),
    healthFilter: document.getElementById("health-filter"),
    tagFilter: document.getElementById("tag-filter"),
    shownCount: document.getElementById("shown-count"),
  };
  /** name → the service's check from GET /health/services (url redacted by the server). */
  let checks = new Map();
  let checksLoading = false;

  /** The API lives one level above the page, so the page also works under a proxy's prefix. */
  const apiUrl = (path) => new URL(path, new URL("../", document.baseURI)).toString();

  function connect() {
    const source = new EventSource(apiUrl(`health/events?refresh=${REFRESH_SECONDS}`));
    source.addEventListener("open", () => {
      setConnection("live");
      // After a reconnection the orchestrator may have restarted with other checks.
      loadChecks();
      loadClusterState();
    });
    source.addEventListener("snapshot", (event) => {
      markOnce("snapshot-received");
      applySnapshot(JSON.parse(event.data));
      setConnection("live");
    });
    source.addEventListener("health", (event) => applyHealthEvent(JSON.parse(event.data)));
    source.addEventListener("circuit", (event) => applyCircuitEvent(JSON.parse(event.data)));
    source.addEventListener("component", (event) => applyComponentEvent(JSON.parse(event.data)));
    source.addEventListener("reported", (event) => applyReportedEvent(JSON.parse(event.data)));
    source.addEventListener("error", () => {
      setConnection("lost");
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, REOPEN_MS);
      }
    });
  }

  function setConnection(state) {
    page.connection.dataset.state = state;
    page.connection.querySelector(".connection-text").textContent =
      state === "live" ? "Live" : state === "lost" ? "Reconnecting…" : "Connecting…";
    page.banner.hidden = state !== "lost";
    document.body.dataset.connection = state;
  }

  function applySnapshot(status) {
    const entries = groupedByRootCause(Object.entries(status.services || {}));
    const next = new Map();
    for (const [name, service] of entries) {
      const entry = services.get(name) || newEntry(name);
      updateEntry(entry, service);
      next.set(name, entry);
    }
    for (const [name, entry] of services) {
      if (!next.has(name) && entry.card) {
        entry.card.remove();
      }
    }
    services.clear();
    for (const [name, entry] of next) {
      services.set(name, entry);
    }
    page.empty.hidden = entries.length > 0;
    renderSummary(status.overall_health, status.timestamp);
    renderConfigError(status.config_error);
    applyFilter();
    if (entries.some(([name]) => !checks.has(name))) {
      loadChecks();
    }
  }

  /**
   * The services in configured order, except that a service taken down by another (root_cause)
   * follows the card of its root cause: an outage reads as one group, the cause first.
   */
  function groupedByRootCause(entries) {
    const names = new Set(entries.map(([name]) => name));
    const takenDown = new Map();
    for (const entry of entries) {
      const root = entry[1].root_cause;
      if (root && names.has(root)) {
        if (!takenDown.has(root)) {
          takenDown.set(root, []);
        }
        takenDown.get(root).push(entry);
      }
    }
    const ordered = [];
    for (const entry of entries) {
      const root = entry[1].root_cause;
      if (root && names.has(root)) {
        continue;
      }
      ordered.push(entry);
      ordered.push(...(takenDown.get(entry[0]) || []));
    }
    return ordered;
  }

  /** A rejected reload: the stream is live, but the file just saved is not what is probed. */
  function renderConfigError(error) {
    const before = document.body.dataset.configError;
    if (before !== undefined && before !== (error ? "true" : "false")) {
      loadChecks(); // A reload was just rejected, or one applied after it.
    }
    page.configBanner.hidden = !error;
    page.configError.textContent = error || "";
    document.body.dataset.configError = error ? "true" : "false";
  }

  /** What each service probes, for the cards' host and path. */
  function loadChecks() {
    if (checksLoading) {
      return;
    }
    checksLoading = true;
    fetch(apiUrl("health/services"))
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((listing) => {
        checks = new Map((listing.services || []).map((service) => [service.name, service.check]));
        renderTagChoices();
        applyFilter();
        for (const entry of services.values()) {
          if (entry.card) {
            renderTarget(entry, checks.get(entry.name));
          }
        }
      })
      // The cards keep the targets they show; the next refresh tries again.
      .catch(() => {})
      .finally(() => {
        checksLoading = false;
      });
  }

  function renderTarget(entry, check) {
    const fields = entry.fields;
    fields.target.hidden = !check;
    if (!check) {
      return;
    }
    let host = check.url;
    let path = "";
    try {
      const url = new URL(check.url);
      host = url.host;
      path = url.pathname;
    } catch {
      // Shown whole: the server's redacted text is still the truth.
    }
    fields["target-host"].textContent = host;
    fields["target-path"].textContent = path;
    fields.target.title =
      `${check.method} ${check.url} every ${formatSeconds(check.interval_ms)}, ` +
      `timeout ${formatSeconds(check.timeout_ms)}`;
  }

  /** This node's part in a cluster (GET /): a degraded node stops probing. */
  function loadClusterState() {
    fetch(apiUrl(""))
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((info) => renderCluster(info))
      .catch(() => {});
  }

  function renderCluster(info) {
    const clustered = typeof info.cluster === "string";
    const degraded = info.cluster === "degraded";
    page.cluster.hidden = !clustered;
    page.cluster.dataset.state = clustered ? info.cluster : "none";
    if (clustered) {
      const members =
        typeof info.cluster_members === "number"
          ? ` · ${plural(info.cluster_members, "node")}`
          : "";
      page.cluster.textContent = `Cluster ${degraded ? "degraded" : "ok"}${members}`;
    }
    page.clusterBanner.hidden = !degraded;
    document.body.dataset.cluster = clustered ? info.cluster : "none";
  }

  function applyHealthEvent(event) {
    const entry = services.get(event.service);
    if (!entry) {
      return; // A service added by a reload: the next snapshot brings its card.
    }
    entry.health = event.to;
    // The reason of a probe's failure is its error message; the next snapshot has the same.
    if (event.to === "unhealthy") {
      entry.error = event.reason;
    } else if (event.to === "healthy") {
      entry.error = null;
    }
    // The card says who took it down now; the next snapshot also moves it under that card.
    entry.data = { ...entry.data, root_cause: event.root_cause || null };
    renderCard(entry);
    renderSummary(null, event.at);
    if (filter.health) {
      applyFilter();
    }
  }

  function applyCircuitEvent(event) {
    const entry = services.get(event.service);
    if (entry) {
      entry.circuit = event.to;
      renderCard(entry);
      renderSummary(null, event.at);
    }
  }

  /**
   * A component of a service's document changed: its chip changes in place (a new component is
   * added at the end, one that left the document goes), so an outage shows before the next
   * snapshot, which brings the same list in the document's order.
   */
  function applyComponentEvent(event) {
    const entry = services.get(event.service);
    if (!entry) {
      return;
    }
    const components = (entry.data.components || []).filter(
      (component) => event.to || component.path !== event.component,
    );
    if (event.to) {
      const index = components.findIndex((component) => component.path === event.component);
      const changed = {
        ...(index >= 0 ? components[index] : { name: event.component.split("/").pop(), path: event.component, type: null }),
        status: event.to,
        reported: event.reported,
        output: event.output,
      };
      if (index >= 0) {
        components[index] = changed;
      } else {
        components.push(changed);
      }
    }
    entry.data = { ...entry.data, components };
    renderCard(entry);
  }

  /** What a service's document says of it changed: the card turns amber, or back, at once. */
  function applyReportedEvent(event) {
    const entry = services.get(event.service);
    if (entry) {
      entry.data = { ...entry.data, reported_status: event.to };
      renderCard(entry);
    }
  }

  function newEntry(name) {
    return {
      name,
      data: {},
      health: "unknown",
      circuit: "closed",
      error: null,
      lastCheck: null,
      points: [],
      historyLoaded: false,
      card: null,
    };
  }

  /** What a snapshot says of a service, kept whether or not its card is on screen. */
  function updateEntry(entry, service) {
    entry.data = service;
    entry.health = service.health;
    entry.circuit = service.circuit_breaker_state;
    entry.error = service.error_message;
    entry.lastCheck = service.last_check ? new Date(service.last_check) : null;
    if (service.last_check) {
      addPoints(entry, [
        { at: service.last_check, ms: service.response_time_ms, ok: !service.error_message },
      ]);
    }
    renderCard(entry);
  }

  /** A card for a service coming on screen, filled from what the page knows of it. */
  function createCard(entry) {
    const card = page.template.content.firstElementChild.cloneNode(true);
    card.dataset.service = entry.name;
    const fields = {};
    for (const element of card.querySelectorAll("[data-field]")) {
      fields[element.dataset.field] = element;
    }
    entry.card = card;
    entry.fields = fields;
    renderCard(entry);
    if (!entry.historyLoaded) {
      entry.historyLoaded = true;
      loadHistory(entry.name, entry);
    }
    return card;
  }

  /**
   * The one function that fills a card from its service, whenever either changes; nothing when
   * the service is off screen. A new figure of a service goes here (and into the template).
   */
  function renderCard(entry) {
    if (!entry.card) {
      return;
    }
    const fields = entry.fields;
    const service = entry.data;
    fields.name.textContent = entry.name;
    setHealth(entry, entry.health);
    setCircuit(entry, entry.circuit);
    renderLastCheck(entry, Date.now());
    fields["response-time"].textContent = formatMs(service.response_time_ms);
    setError(entry, entry.error);
    setRootCause(entry, service.root_cause);
    setReported(entry, service.reported_status, service.components || []);
    const latency = service.latency || {};
    fields.p50.textContent = formatMs(latency.p50_ms);
    fields.p95.textContent = formatMs(latency.p95_ms);
    fields.p99.textContent = formatMs(latency.p99_ms);
    const availability = service.availability || {};
    for (const span of AVAILABILITY_WINDOWS) {
      fields[`availability-${span}`].textContent = formatPercent(availability[span]);
    }
    renderTarget(entry, checks.get(entry.name));
    renderSparkline(entry);
  }

  /** Search (by name), health and tag: which services the list shows. */
  function applyFilter() {
    const text = filter.text.toLowerCase();
    shown = [];
    for (const entry of services.values()) {
      if (text && !entry.name.toLowerCase().includes(text)) {
        continue;
      }
      if (filter.health && entry.health !== filter.health) {
        continue;
      }
      if (filter.tag) {
        const check = checks.get(entry.name);
        if (!check || !(check.tags || []).includes(filter.tag)) {
          continue;
        }
      }
      shown.push(entry);
    }
    const filtered = filter.text || filter.health || filter.tag;
    page.shownCount.textContent = filtered
      ? `${shown.length} of ${plural(services.size, "service")}`
      : plural(services.size, "service");
    list.first = -1; // Whatever is on screen now may be other services.
    renderWindow();
  }

  function renderTagChoices() {
    const tags = new Set();
    for (const check of checks.values()) {
      (check.tags || []).forEach((tag) => tags.add(tag));
    }
    const options = [new Option("All tags", "")];
    [...tags].sort().forEach((tag) => options.push(new Option(tag, tag)));
    page.tagFilter.replaceChildren(...options);
    page.tagFilter.value = tags.has(filter.tag) ? filter.tag : "";
    filter.tag = page.tagFilter.value;
    page.tagFilter.hidden = tags.size === 0;
  }

  function scheduleWindow() {
    if (!list.scheduled) {
      list.scheduled = true;
      requestAnimationFrame(() => {
        list.scheduled = false;
        renderWindow();
      });
    }
  }

  /**
   * Puts on screen the cards of the rows in view (and a few around them), and only those: the
   * rows above and below are padding of the height they would have.
   */
  function renderWindow() {
    const grid = page.grid;
    list.columns = Math.max(
      1,
      getComputedStyle(grid).gridTemplateColumns.split(" ").filter((track) => track).length,
    );
    const rows = Math.ceil(shown.length / list.columns);
    const gap = parseFloat(getComputedStyle(grid).rowGap) || 0;
    grid.style.gridAutoRows = `${list.rowPx - gap}px`;
    const viewTop = -grid.getBoundingClientRect().top;
    const first = Math.max(0, Math.floor(viewTop / list.rowPx) - OVERSCAN_ROWS);
    const last = Math.min(
      rows,
      Math.ceil((viewTop + window.innerHeight) / list.rowPx) + OVERSCAN_ROWS,
    );
    if (first === list.first && last === list.last) {
      return;
    }
    list.first = first;
    list.last = last;
    const visible = shown.slice(first * list.columns, Math.max(first, last) * list.columns);
    const keep = new Set(visible);
    for (const element of [...grid.children]) {
      const entry = services.get(element.dataset.service);
      if (!entry || !keep.has(entry) || entry.card !== element) {
        element.remove();
        if (entry && entry.card === element) {
          entry.card = null;
          entry.fields = null;
        }
      }
    }
    const cards = visible.map((entry) => entry.card || createCard(entry));
    cards.forEach((card, index) => {
      if (grid.children[index] !== card) {
        grid.insertBefore(card, grid.children[index] || null);
      }
    });
    grid.style.paddingTop = `${first * list.rowPx}px`;
    grid.style.paddingBottom = `${Math.max(0, rows - Math.max(first, last)) * list.rowPx}px`;
    grid.dataset.rendered = String(cards.length);
    if (cards.length) {
      markOnce("first-cards");
    }
    // Every row is as tall as the tallest card seen: rows of one height are what the padding
    // above and below counts in.
    const tallest = Math.max(0, ...cards.map((card) => card.scrollHeight));
    if (tallest + gap > list.rowPx) {
      list.rowPx = Math.ceil(tallest + gap);
      list.first = -1;
      scheduleWindow();
    }
  }

  /** Seeds the chart with the checks made before the page was opened. */
  function loadHistory(name, entry) {
    fetch(apiUrl(`health/history/${encodeURIComponent(name)}?limit=${SPARK_POINTS}`))
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((history) => {
        const older = (history.results || []).map((result) => ({
          at: result.checked_at,
          ms: result.response_time_ms,
          ok: result.healthy,
        }));
        mergePoints(entry, older);
      })
      // Without history the chart simply starts with the snapshots.
      .catch(() => {});
  }

  function setHealth(entry, health) {
    applyHealthClass(entry.card, health);
    applyHealthClass(entry.fields.health, health);
    entry.fields.health.textContent = HEALTH_LABELS[health] || String(health);
  }

  function applyHealthClass(element, health) {
    for (const known of Object.keys(HEALTH_LABELS)) {
      element.classList.remove(`health-${known}`);
    }
    element.classList.add(`health-${HEALTH_LABELS[health] ? health : "unknown"}`);
  }

  function setCircuit(entry, state) {
    entry.fields.circuit.dataset.circuit = state;
    entry.fields.circuit.textContent = CIRCUIT_LABELS[state] || String(state);
  }

  function setRootCause(entry, root) {
    entry.fields["root-cause"].textContent = root ? `Taken down by ${root}` : "";
    entry.fields["root-cause"].hidden = !root;
    entry.card.classList.toggle("taken-down", Boolean(root));
    if (root) {
      entry.card.dataset.rootCause = root;
    } else {
      delete entry.card.dataset.rootCause;
    }
  }

  /** Amber for a service whose own document warns; its components, each in its status colour. */
  function setReported(entry, reported, components) {
    entry.card.classList.toggle("reported-warn", reported === "warn");
    const items = components.map((component) => {
      const item = document.createElement("li");
      item.className = `component component-${component.status}`;
      item.dataset.component = component.path;
      item.textContent = `${component.path}: ${component.reported || component.status}`;
      if (component.output) {
        item.title = component.output;
      }
      return item;
    });
    entry.fields.components.replaceChildren(...items);
    entry.fields.components.hidden = items.length === 0;
  }

  function setError(entry, message) {
    entry.fields.error.textContent = message || "";
    entry.fields.error.hidden = !message;
  }

  function renderLastCheck(entry, now) {
    const element = entry.fields["last-check"];
    if (!entry.lastCheck) {
      element.textContent = "never";
      element.removeAttribute("datetime");
      element.removeAttribute("title");
      return;
    }
    element.textContent = formatAgo(entry.lastCheck, now);
    element.dateTime = entry.lastCheck.toISOString();
    element.title = entry.lastCheck.toLocaleString();
  }

  /** Adds checks to a card's chart and draws it. */
  function mergePoints(entry, points) {
    addPoints(entry, points);
    if (entry.card) {
      renderSparkline(entry);
    }
  }

  /** Adds checks to a service's chart, once each (a check is known by its time), oldest first. */
  function addPoints(entry, points) {
    const byTime = new Map(entry.points.map((point) => [point.at, point]));
    for (const point of points) {
      if (point.at) {
        byTime.set(point.at, point);
      }
    }
    entry.points = [...byTime.values()]
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .slice(-SPARK_POINTS);
  }

  function renderSparkline(entry) {
    const svg = entry.fields.sparkline;
    const points = entry.points;
    const timed = points.filter((point) => typeof point.ms === "number");
    const top = Math.max(1, ...timed.map((point) => point.ms));
    const step = (SPARK_WIDTH - 2 * SPARK_PADDING) / (SPARK_POINTS - 1);
    // Newest at the right edge; a young service's line grows from the right.
    const x = (index) => SPARK_PADDING + (SPARK_POINTS - points.length + index) * step;
    const y = (ms) => SPARK_HEIGHT - SPARK_PADDING - (ms / top) * (SPARK_HEIGHT - 2 * SPARK_PADDING);
    const shapes = [];
    points.forEach((point, index) => {
      if (!point.ok) {
        const left = Math.max(0, x(index) - step / 2);
        shapes.push(
          svgElement("rect", {
            class: "spark-fail",
            x: left,
            y: 0,
            width: Math.min(SPARK_WIDTH, x(index) + step / 2) - left,
            height: SPARK_HEIGHT,
          }),
        );
      }
    });
    // A check without a response time (refused, timed out) breaks the line.
    for (const run of runsWithTimes(points)) {
      const coordinates = run.map(({ index, ms }) => [x(index), y(ms)]);
      const line = coordinates
        .map(([px, py], i) => `${i === 0 ? "M" : "L"}${px.toFixed(1)} ${py.toFixed(1)}`)
        .join(" ");
      const first = coordinates[0][0].toFixed(1);
      const last = coordinates[coordinates.length - 1][0].toFixed(1);
      shapes.push(
        svgElement("path", {
          class: "spark-area",
          d: `${line} L${last} ${SPARK_HEIGHT} L${first} ${SPARK_HEIGHT} Z`,
        }),
      );
      shapes.push(
        svgElement("path", { class: "spark-line", d: line, "vector-effect": "non-scaling-stroke" }),
      );
    }
    const newest = points[points.length - 1];
    if (newest && typeof newest.ms === "number") {
      // A zero-length line with round caps: a round dot however the chart is stretched.
      const [px, py] = [x(points.length - 1), y(newest.ms)];
      shapes.push(
        svgElement("path", {
          class: "spark-dot",
          d: `M${px.toFixed(1)} ${py.toFixed(1)} h0`,
          "vector-effect": "non-scaling-stroke",
        }),
      );
    }
    svg.replaceChildren(...shapes);
    const failed = points.filter((point) => !point.ok).length;
    const parts = [`Last ${plural(points.length, "check")}`];
    if (timed.length) {
      parts.push(`max ${formatMs(top)}`);
    }
    if (failed) {
      parts.push(`${failed} failed`);
    }
    const caption = points.length === 0 ? "No checks yet" : parts.join(" · ");
    entry.fields["sparkline-caption"].textContent = caption;
    svg.setAttribute("aria-label", `Latency chart: ${caption}`);
  }

  function runsWithTimes(points) {
    const runs = [];
    let run = [];
    points.forEach((point, index) => {
      if (typeof point.ms === "number") {
        run.push({ index, ms: point.ms });
      } else if (run.length) {
        runs.push(run);
        run = [];
      }
    });
    if (run.length) {
      runs.push(run);
    }
    return runs;
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) {
      element.setAttribute(key, String(value));
    }
    return element;
  }

  /**
   * The header: overall health (the server's from a snapshot; after an event, the same rule as
   * the server's on what the page now shows), counts per health and the time of the last news.
   */
  function renderSummary(overall, at) {
    const counts = Object.fromEntries(SERVICE_HEALTHS.map((health) => [health, 0]));
    for (const entry of services.values()) {
      const health = counts[entry.health] === undefined ? "unknown" : entry.health;
      counts[health] += 1;
    }
    const total = services.size;
    const judged =
      overall ||
      (counts.healthy === total ? "healthy" : counts.healthy === 0 ? "unhealthy" : "degraded");
    applyHealthClass(page.overall, judged);
    page.overall.textContent = HEALTH_LABELS[judged] || String(judged);
    document.title = `${page.overall.textContent} · Service status`;

    const chips = SERVICE_HEALTHS.filter((health) => counts[health] > 0).map((health) => {
      const chip = document.createElement("li");
      chip.className = `badge count health-${health}`;
      chip.dataset.field = `count-${health}`;
      chip.dataset.health = health;
      chip.title = `Show only the ${HEALTH_LABELS[health].toLowerCase()} services`;
      chip.textContent = `${counts[health]} ${HEALTH_LABELS[health].toLowerCase()}`;
      return chip;
    });
    page.counts.replaceChildren(...chips);

    const when = at ? new Date(at) : new Date();
    page.updated.textContent = when.toLocaleTimeString();
    page.updated.dateTime = when.toISOString();
    page.updated.title = when.toLocaleString();
  }

  /** A performance mark, once per page: how soon the page was useful can be read afterwards. */
  function markOnce(name) {
    if (performance.getEntriesByName(name, "mark").length === 0) {
      performance.mark(name);
    }
  }

  function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
  }

  function formatMs(ms) {
    if (typeof ms !== "number") {
      return "—";
    }
    if (ms < 10) {
      return `${ms.toFixed(1)} ms`;
    }
    if (ms < 1000) {
      return `${Math.round(ms)} ms`;
    }
    return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  }

  function formatSeconds(ms) {
    return `${Number((ms / 1000).toFixed(3))} s`;
  }

  function formatPercent(percent) {
    return typeof percent === "number" ? `${Number(percent.toFixed(2))}%` : "—";
  }

  function formatAgo(date, now) {
    const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
    if (seconds < 2) {
      return "just now";
    }
    if (seconds < 60) {
      return `${seconds} s ago`;
    }
    if (seconds < 3600) {
      return `${Math.floor(seconds / 60)} min ago`;
    }
    if (seconds < 86400) {
      return `${Math.floor(seconds / 3600)} h ago`;
    }
    return `${Math.floor(seconds / 86400)} d ago`;
  }

  setInterval(() => {
    const now = Date.now();
    for (const entry of shown.slice(list.first * list.columns, list.last * list.columns)) {
      if (entry.card) {
        renderLastCheck(entry, now);
      }
    }
  }, 1000);

  page.search.addEventListener("input", () => {
    filter.text = page.search.value.trim();
    applyFilter();
  });
  page.healthFilter.addEventListener("change", () => {
    filter.health = page.healthFilter.value;
    applyFilter();
  });
  page.tagFilter.addEventListener("change", () => {
    filter.tag = page.tagFilter.value;
    applyFilter();
  });
  page.counts.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-health]");
    if (chip) {
      // A count is a shortcut to its filter; a second click shows every service again.
      page.healthFilter.value = filter.health === chip.dataset.health ? "" : chip.dataset.health;
      filter.health = page.healthFilter.value;
      applyFilter();
    }
  });
  window.addEventListener("scroll", scheduleWindow, { passive: true });
  window.addEventListener("resize", () => {
    list.first = -1;
    scheduleWindow();
  });

  setInterval(loadChecks, CHECKS_REFRESH_MS);
  setInterval(loadClusterState, CLUSTER_REFRESH_MS);

  setConnection("connecting");
  connect();
  loadClusterState();
})();
