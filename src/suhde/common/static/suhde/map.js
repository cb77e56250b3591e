// The network map: draws the server's nodes at the server's positions with Cytoscape.js.
// The browser never runs a layout ("preset" places every node where the server put it).
(function () {
  "use strict";

  const SECTOR = {
    public: { color: "#0072B2", shape: "ellipse" },
    private: { color: "#E69F00", shape: "diamond" },
    third: { color: "#009E73", shape: "rectangle" },
  };
  const NO_SECTOR = { color: "#ffffff", shape: "ellipse" };

  function labels() {
    const element = document.getElementById("map-labels");
    return element ? JSON.parse(element.textContent) : { sector: {}, role: {}, strength: {} };
  }

  function elements(data) {
    const nodes = data.nodes.map((node) => ({
      group: "nodes",
      data: Object.assign({}, node, {
        color: (SECTOR[node.sector] || NO_SECTOR).color,
        shape: (SECTOR[node.sector] || NO_SECTOR).shape,
      }),
      position: { x: node.x, y: node.y },
    }));
    const edges = data.edges.map((edge) => ({ group: "edges", data: edge }));
    return nodes.concat(edges);
  }

  function style(organizations) {
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          shape: "data(shape)",
          width: "data(size)",
          height: "data(size)",
          "border-width": 1,
          "border-color": "#212529",
          label: "data(label)",
          "font-size": organizations ? 12 : 9,
          "min-zoomed-font-size": organizations ? 0 : 7,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#212529",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
        },
      },
      {
        selector: "edge",
        style: {
          width: (edge) => (edge.data("strength") === "strong" ? 2.2 : 1) + Math.min(edge.data("count") - 1, 6) * 0.6,
          "line-color": "#495057",
          "line-style": (edge) => (edge.data("strength") === "strong" ? "solid" : "dashed"),
          "line-dash-pattern": [5, 4],
          opacity: 0.55,
          "curve-style": "straight",
        },
      },
      { selector: "node.chosen", style: { "border-width": 4, "border-color": "#000000", "z-index": 10 } },
      { selector: "edge.near", style: { opacity: 1, "line-color": "#000000" } },
      { selector: ".faded", style: { opacity: 0.15 } },
    ];
  }

  function showCard(container, node, text) {
    const card = document.getElementById("map-card");
    if (!card) return;
    const data = node.data();
    card.hidden = false;
    document.getElementById("map-card-title").textContent = data.label;
    const parts = {
      organization: data.kind === "person" ? data.organization + (data.title ? " · " + data.title : "") : (text.sector[data.sector] || ""),
      role: data.kind === "person" ? text.role[data.role] || "" : container.dataset.peopleLabel.replace("%s", data.count),
      ties: container.dataset.tiesLabel.replace("%s", node.connectedEdges().length),
    };
    for (const [key, value] of Object.entries(parts)) {
      card.querySelector(`[data-card="${key}"]`).textContent = value;
    }
    const links = {
      ego: data.person_id ? `${container.dataset.mapUrlBase}?ego=${data.person_id}` : null,
      rings: data.person_id
        ? `${container.dataset.ringsUrl}?person=${data.person_id}`
        : `${container.dataset.ringsUrl}?organization=${data.organization_id}`,
      person: data.person_id ? container.dataset.personUrl.replace("/0/", `/${data.person_id}/`) : null,
    };
    for (const [key, href] of Object.entries(links)) {
      const link = card.querySelector(`[data-card="${key}"]`);
      link.hidden = !href;
      if (href) link.href = href;
    }
  }

  function highlight(cy, node) {
    cy.elements().removeClass("chosen near faded");
    if (!node) return;
    const near = node.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    node.addClass("chosen");
    node.connectedEdges().addClass("near");
  }

  function download(name, blob) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function wireToolbar(cy, container) {
    document.querySelector("[data-map-fit]")?.addEventListener("click", () => cy.fit(undefined, 20));
    document.querySelectorAll("[data-map-export]").forEach((button) => {
      button.addEventListener("click", () => {
        const name = container.dataset.fileName;
        if (button.dataset.mapExport === "png") {
          download(`${name}.png`, cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }));
        } else if (typeof cy.svg === "function") {
          download(`${name}.svg`, new Blob([cy.svg({ full: true, bg: "#ffffff" })], { type: "image/svg+xml" }));
        }
      });
    });
  }

  function wireSearch(cy, container, text) {
    const input = document.getElementById("map-search");
    const list = document.getElementById("map-search-names");
    if (!input || !list) return;
    const fragment = document.createDocumentFragment();
    const seen = new Set();
    cy.nodes().forEach((node) => {
      const label = node.data("label");
      if (seen.has(label)) return;
      seen.add(label);
      const option = document.createElement("option");
      option.value = label;
      fragment.appendChild(option);
    });
    list.appendChild(fragment);
    const find = () => {
      const wanted = input.value.trim().toLowerCase();
      if (!wanted) {
        highlight(cy, null);
        return;
      }
      const node = cy.nodes().filter((n) => n.data("label").toLowerCase() === wanted)[0] ||
        cy.nodes().filter((n) => n.data("label").toLowerCase().includes(wanted))[0];
      if (!node) return;
      highlight(cy, node);
      showCard(container, node, text);
      cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
    };
    input.addEventListener("change", find);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        find();
      }
    });
  }

  function draw(container, data) {
    const text = labels();
    const started = performance.now();
    const cy = cytoscape({
      container,
      elements: elements(data),
      style: style(data.view === "organizations"),
      layout: { name: "preset", fit: true, padding: 20 },
      minZoom: 0.05,
      maxZoom: 6,
      textureOnViewport: data.nodes.length > 500,
      hideEdgesOnViewport: data.edges.length > 3000,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    cy.on("mouseover tap", "node", (event) => {
      highlight(cy, event.target);
      showCard(container, event.target, text);
    });
    cy.on("tap", (event) => {
      if (event.target === cy) highlight(cy, null);
    });
    wireToolbar(cy, container);
    wireSearch(cy, container, text);
    cy.ready(() => {
      container.dataset.drawnMs = String(Math.round(performance.now() - started));
      container.classList.add("map-drawn");
    });
    window.suhdeMap = cy;
  }

  function start() {
    const container = document.getElementById("network-map");
    if (!container || typeof cytoscape === "undefined") return;
    const status = document.getElementById("map-status");
    fetch(container.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => draw(container, data))
      .catch(() => {
        if (status) status.textContent = container.dataset.errorLabel;
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
