// The network explorer (Cytoscape.js): zoom, drag, search, filters, one actor's ties.
// The page works without it: the server-drawn map stays in the page and is what prints.
// The data are fetched as JSON from the explorer's data-src (cached by the server for each
// state of the round); until they arrive, or if they cannot, the drawn map stands in.
(function () {
  "use strict";

  const explorer = document.getElementById("network-explorer");
  if (!explorer || !explorer.dataset.src || typeof window.cytoscape !== "function") {
    return;
  }
  fetch(explorer.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) {
        throw new Error(`network data: HTTP ${response.status}`);
      }
      return response.json();
    })
    .then(
      (data) => start(explorer, data),
      () => {
        // No data (offline, signed out): the explorer stays hidden and the drawn map is
        // the page's map. An error inside the explorer itself is not silenced here.
      }
    );

  function start(explorer, data) {
    const byId = new Map(data.nodes.map((node) => [String(node.id), node]));
    const levelStyle = new Map(data.link_levels.map((level) => [level.value, level]));
    const governmentColour = new Map(data.government_levels.map((level) => [level.value, level.colour]));
    const heaviest = Math.max(1, ...data.nodes.map((node) => node.weighted_degree));

    const state = {
      minLevel: 1,
      sectors: new Set(data.sectors.map((sector) => sector.id)),
      governmentLevels: new Set(data.government_levels.map((level) => level.value)),
      focus: null,
      colour: "sector",
    };

    // Show the explorer; the static figure is kept for paper (network.css).
    explorer.hidden = false;
    const figure = document.getElementById("network-print-figure");
    if (figure) {
      figure.classList.add("network-figure--print");
    }

    const elements = [];
    data.nodes.forEach((node, index) => {
      // Start on the circle of the printed map (matrix order): the force layout then moves
      // actors from there, so it draws the same each time.
      const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, data.nodes.length);
      elements.push({
        group: "nodes",
        data: {
          id: String(node.id),
          label: node.short_name,
          size: 12 + 20 * Math.sqrt(node.weighted_degree / heaviest),
          sectorColour: node.sector_colour,
          levelColour: governmentColour.get(node.government_level) || "#777777",
          colour: node.sector_colour,
        },
        classes: node.degree === 0 ? "isolated" : "",
        position: { x: 300 * Math.cos(angle), y: 300 * Math.sin(angle) },
      });
    });
    data.links.forEach((link) => {
      const style = levelStyle.get(link.level);
      elements.push({
        group: "edges",
        data: {
          id: `${link.a}-${link.b}`,
          source: String(link.a),
          target: String(link.b),
          level: link.level,
          colour: style.colour,
          width: style.width * 1.5,
        },
      });
    });

    const cy = window.cytoscape({
      container: document.getElementById("network-canvas"),
      elements,
      layout: { name: "preset" },
      minZoom: 0.1,
      maxZoom: 4,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            "border-color": "#333333",
            "border-width": 1,
            width: "data(size)",
            height: "data(size)",
            label: "data(label)",
            "font-size": 11,
            "min-zoomed-font-size": 7,
            "font-family": "system-ui, Arial, sans-serif",
            color: "#1d2330",
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.7,
            "text-background-padding": 1,
          },
        },
        {
          selector: "node.isolated",
          style: {
            "background-color": "#ffffff",
            "border-color": "data(colour)",
            "border-width": 2,
            "border-style": "dashed",
          },
        },
        { selector: "node.focused", style: { "border-width": 4, "border-color": "#1d2330" } },
        {
          selector: "edge",
          style: {
            "line-color": "data(colour)",
            width: "data(width)",
            opacity: 0.85,
            "curve-style": "straight",
          },
        },
        { selector: ".hidden", style: { display: "none" } },
      ],
    });

    // Layouts -------------------------------------------------------------------------------

    function runLayout(name) {
      const visible = cy.elements().not(".hidden");
      const options =
        name === "circle"
          ? { name: "circle", animate: false, fit: true, padding: 30, sort: (a, b) => order(a) - order(b) }
          : {
              name: "cose",
              animate: false,
              randomize: false,
              fit: true,
              padding: 30,
              // Strong ties pull closer than weak ones; actors keep room for their names.
              nodeRepulsion: () => 400000,
              nodeOverlap: 20,
              idealEdgeLength: (edge) => 160 - 25 * edge.data("level"),
              edgeElasticity: (edge) => 40 * edge.data("level"),
              gravity: 0.5,
              componentSpacing: 80,
              numIter: 1500,
            };
      options.fit = false;
      visible.layout(options).run();
      fitTo(visible);
    }
    const orderOf = new Map(data.nodes.map((node, index) => [String(node.id), index]));
    const order = (node) => orderOf.get(node.id());

    // Filters and focus ---------------------------------------------------------------------

    function nodePasses(node) {
      return state.sectors.has(node.sector) && state.governmentLevels.has(node.government_level);
    }

    function apply() {
      let shown = new Set(
        cy.nodes().filter((element) => nodePasses(byId.get(element.id()))).map((element) => element.id())
      );
      const strongEnough = (edge) => edge.data("level") >= state.minLevel;
      if (state.focus !== null) {
        // Only the focused actor and the actors it is tied to (at the levels and among the
        // sectors and government levels shown); the focused actor itself always shows.
        const kept = new Set([state.focus]);
        cy.getElementById(state.focus)
          .connectedEdges()
          .forEach((edge) => {
            const other = edge.source().id() === state.focus ? edge.target().id() : edge.source().id();
            if (strongEnough(edge) && shown.has(other)) {
              kept.add(other);
            }
          });
        shown = kept;
      }
      const touchesFocus = (edge) =>
        state.focus === null || edge.source().id() === state.focus || edge.target().id() === state.focus;
      cy.batch(() => {
        cy.nodes().forEach((element) => {
          element.toggleClass("hidden", !shown.has(element.id()));
          element.toggleClass("focused", element.id() === state.focus);
        });
        cy.edges().forEach((edge) => {
          const visible =
            strongEnough(edge) &&
            touchesFocus(edge) &&
            shown.has(edge.source().id()) &&
            shown.has(edge.target().id());
          edge.toggleClass("hidden", !visible);
        });
      });
      showStatus();
      showFocus();
    }

    function visibleNodes() {
      return cy.nodes().not(".hidden").length;
    }

    function visibleEdges() {
      return cy.edges().not(".hidden").length;
    }

    const status = document.getElementById("explorer-status");
    function showStatus() {
      status.textContent = explorer.dataset.status
        .replace("{nodes}", visibleNodes())
        .replace("{all_nodes}", cy.nodes().length)
        .replace("{links}", visibleEdges())
        .replace("{all_links}", cy.edges().length);
    }

    const focusPanel = document.getElementById("explorer-focus");
    const number = new Intl.NumberFormat(document.documentElement.lang || "id", { maximumFractionDigits: 3 });
    const percent = new Intl.NumberFormat(document.documentElement.lang || "id", { maximumFractionDigits: 1 });
    function showFocus() {
      if (state.focus === null) {
        focusPanel.hidden = true;
        cy.resize();
        return;
      }
      const node = byId.get(state.focus);
      document.getElementById("explorer-focus-name").textContent = node.name;
      focusPanel.querySelectorAll("[data-fact]").forEach((field) => {
        const key = field.dataset.fact;
        let value = node[key];
        if (key === "betweenness") {
          value = number.format(value);
        } else if (key === "brokerage") {
          value = value === null ? "–" : `${percent.format(value * 100)} %`;
        } else if (value === null) {
          value = "–";
        }
        field.textContent = value;
      });
      document.getElementById("explorer-actor-link").href = node.url;
      focusPanel.hidden = false;
      cy.resize();
    }

    function focus(id) {
      state.focus = id === null ? null : String(id);
      apply();
      fitTo(cy.elements().not(".hidden"));
    }

    // Fit the shown actors in the frame, without blowing a few of them up.
    const FIT_ZOOM = 1.5;
    function fitTo(shown) {
      if (!shown.length) {
        return;
      }
      cy.fit(shown, 40);
      if (cy.zoom() > FIT_ZOOM) {
        cy.zoom(FIT_ZOOM);
        cy.center(shown);
      }
    }

    function showAll() {
      focus(null);
    }

    function colourBy(mode) {
      state.colour = mode === "government_level" ? "government_level" : "sector";
      const key = state.colour === "sector" ? "sectorColour" : "levelColour";
      cy.batch(() => cy.nodes().forEach((node) => node.data("colour", node.data(key))));
      const radio = document.querySelector(`input[name=colour][value=${state.colour}]`);
      if (radio) {
        radio.checked = true;
      }
    }

    function setMinLevel(level) {
      state.minLevel = Number(level);
      document.getElementById("explorer-min-level").value = String(state.minLevel);
      apply();
    }

    // Controls ------------------------------------------------------------------------------

    const form = document.getElementById("explorer-controls");
    const search = document.getElementById("explorer-search");
    const message = document.getElementById("explorer-message");

    function findByName(raw) {
      const wanted = raw.trim().toLocaleLowerCase();
      return data.nodes.find(
        (node) => node.name.toLocaleLowerCase() === wanted || node.short_name.toLocaleLowerCase() === wanted
      );
    }

    function searchFor(raw) {
      const found = findByName(raw);
      if (!found) {
        message.textContent = explorer.dataset.notFound.replace("{name}", raw.trim());
        message.hidden = false;
        return false;
      }
      message.hidden = true;
      focus(found.id);
      return true;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      searchFor(search.value);
    });
    search.addEventListener("change", () => {
      // Choosing a name from the list focuses it at once.
      if (findByName(search.value)) {
        searchFor(search.value);
      }
    });
    document.getElementById("explorer-min-level").addEventListener("change", (event) => {
      setMinLevel(event.target.value);
    });
    form.addEventListener("change", (event) => {
      const field = event.target;
      if (field.name === "sector" || field.name === "government_level") {
        const set = field.name === "sector" ? state.sectors : state.governmentLevels;
        const value = Number(field.value);
        if (field.checked) {
          set.add(value);
        } else {
          set.delete(value);
        }
        apply();
      } else if (field.name === "colour") {
        colourBy(field.value);
      } else if (field.name === "layout") {
        runLayout(field.value);
      }
    });
    document.getElementById("explorer-show-all").addEventListener("click", showAll);
    cy.on("tap", "node", (event) => focus(event.target.id()));

    document.getElementById("download-png").addEventListener("click", () => {
      const blob = cy.png({ output: "blob", bg: "#ffffff", full: false, scale: 2 });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = data.downloads.png_name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });

    // Cytoscape keeps where its canvas sits on the page; when the panel above it opens or
    // closes (a focused actor, a message), the canvas moves and clicks would land beside the
    // actors. Tell it whenever the explorer changes size.
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => cy.resize()).observe(explorer);
    }

    runLayout("force");
    apply();

    // For tests and the curious: the explorer's state, read from the console.
    window.networkExplorer = {
      cy,
      visibleNodes,
      visibleEdges,
      visibleNodeIds: () => cy.nodes().not(".hidden").map((node) => Number(node.id())),
      focus,
      showAll,
      setMinLevel,
      colourBy,
      searchFor,
      state,
    };
  }
})();
