// The network map: draws the server's nodes at the server's positions; the browser never runs a
// layout. Cytoscape.js holds the people (or organizations) for hovering, tapping, zooming and
// panning; the ties are painted on a plain canvas underneath, following Cytoscape's pan and zoom,
// because creating 12,000 Cytoscape edges alone took longer than the whole 2-second budget.
(function () {
  "use strict";

  const SECTOR = {
    public: { color: "#0072B2", shape: "ellipse" },
    private: { color: "#E69F00", shape: "diamond" },
    third: { color: "#009E73", shape: "rectangle" },
  };
  const NO_SECTOR = { color: "#ffffff", shape: "ellipse" };
  const EDGE = "73, 80, 87";
  const DASH = [5, 4];
  const SVG_NS = "http://www.w3.org/2000/svg";

  function labels() {
    const element = document.getElementById("map-labels");
    return element ? JSON.parse(element.textContent) : { sector: {}, role: {}, strength: {} };
  }

  function nodeElements(data) {
    return data.nodes.map((node) => ({
      group: "nodes",
      data: Object.assign({}, node, {
        color: (SECTOR[node.sector] || NO_SECTOR).color,
        shape: (SECTOR[node.sector] || NO_SECTOR).shape,
      }),
      position: { x: node.x, y: node.y },
    }));
  }

  function nodeStyle(organizations) {
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
          "font-size": organizations ? 12 : 9,
          "min-zoomed-font-size": organizations ? 0 : 7,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#212529",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
        },
      },
      { selector: "node.labelled, node.chosen", style: { label: "data(label)" } },
      { selector: "node.chosen", style: { "border-width": 4, "border-color": "#000000", "z-index": 10 } },
      { selector: "node.faded", style: { opacity: 0.2 } },
    ];
  }

  // --- the ties -------------------------------------------------------------------------------

  function tieModel(data) {
    const index = new Map(data.nodes.map((node, i) => [node.id, i]));
    const ties = [];
    const incident = data.nodes.map(() => []);
    for (const edge of data.edges) {
      const a = index.get(edge.source);
      const b = index.get(edge.target);
      if (a === undefined || b === undefined) continue;
      incident[a].push(ties.length);
      incident[b].push(ties.length);
      ties.push({ a, b, strong: edge.strength === "strong", count: edge.count || 1 });
    }
    return { index, ties, incident, perEdgeWidth: data.view === "organizations" };
  }

  function tieWidth(tie, model) {
    const base = tie.strong ? 2.2 : 1;
    return model.perEdgeWidth ? base + Math.min(tie.count - 1, 12) * 0.6 : base;
  }

  function strokeTies(ctx, data, model, list, transform, colour) {
    const { zoom, pan } = transform;
    const line = (tie) => {
      const p = data.nodes[tie.a];
      const q = data.nodes[tie.b];
      ctx.moveTo(p.x * zoom + pan.x, p.y * zoom + pan.y);
      ctx.lineTo(q.x * zoom + pan.x, q.y * zoom + pan.y);
    };
    for (const strong of [false, true]) {
      ctx.setLineDash(strong ? [] : DASH);
      ctx.strokeStyle = colour;
      const group = list.filter((tie) => tie.strong === strong);
      if (model.perEdgeWidth) {
        for (const tie of group) {
          ctx.beginPath();
          ctx.lineWidth = tieWidth(tie, model);
          line(tie);
          ctx.stroke();
        }
      } else {
        ctx.beginPath();
        ctx.lineWidth = strong ? 2.2 : 1;
        group.forEach(line);
        ctx.stroke();
      }
    }
  }

  function makePainter(cy, canvas, container, data, model, state) {
    let queued = false;
    const paint = () => {
      queued = false;
      const started = performance.now();
      const ratio = window.devicePixelRatio || 1;
      const width = container.clientWidth;
      const height = container.clientHeight;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const transform = { zoom: cy.zoom(), pan: cy.pan() };
      const chosen = state.chosen;
      strokeTies(ctx, data, model, model.ties, transform, `rgba(${EDGE}, ${chosen === null ? 0.55 : 0.12})`);
      if (chosen !== null) {
        strokeTies(ctx, data, model, model.incident[chosen].map((i) => model.ties[i]), transform, "rgba(0, 0, 0, 1)");
      }
      canvas.dataset.paintMs = String(Math.round(performance.now() - started));
    };
    return () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(paint);
      }
    };
  }

  // --- the card, search and downloads -----------------------------------------------------------

  function showCard(container, node, count, text) {
    const card = document.getElementById("map-card");
    if (!card) return;
    const data = node.data();
    card.hidden = false;
    document.getElementById("map-card-title").textContent = data.label;
    const person = data.kind === "person";
    const parts = {
      organization: person ? data.organization + (data.title ? " · " + data.title : "") : text.sector[data.sector] || "",
      role: person ? text.role[data.role] || "" : container.dataset.peopleLabel.replace("%s", data.count),
      ties: container.dataset.tiesLabel.replace("%s", count),
    };
    for (const [key, value] of Object.entries(parts)) {
      card.querySelector(`[data-card="${key}"]`).textContent = value;
    }
    const links = {
      ego: person ? `${container.dataset.mapUrlBase}?ego=${data.person_id}` : null,
      rings: person
        ? `${container.dataset.ringsUrl}?person=${data.person_id}`
        : `${container.dataset.ringsUrl}?organization=${data.organization_id}`,
      person: person ? container.dataset.personUrl.replace("/0/", `/${data.person_id}/`) : null,
    };
    for (const [key, href] of Object.entries(links)) {
      const link = card.querySelector(`[data-card="${key}"]`);
      link.hidden = !href;
      if (href) link.href = href;
    }
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  // The whole map as SVG, built from the same data: ties, shapes by sector, names.
  function toSvg(data, model) {
    const margin = 80;
    const xs = data.nodes.map((n) => n.x);
    const ys = data.nodes.map((n) => n.y);
    const minX = Math.min(...xs, 0) - margin;
    const minY = Math.min(...ys, 0) - margin;
    const width = Math.max(...xs, 0) + margin - minX;
    const height = Math.max(...ys, 0) + margin - minY;
    const svg = svgElement("svg", { xmlns: SVG_NS, viewBox: `${minX} ${minY} ${width} ${height}`, width, height });
    svg.appendChild(svgElement("rect", { x: minX, y: minY, width, height, fill: "#ffffff" }));
    const ties = svgElement("g", { stroke: `rgb(${EDGE})`, "stroke-opacity": 0.6 });
    for (const tie of model.ties) {
      const p = data.nodes[tie.a];
      const q = data.nodes[tie.b];
      const line = svgElement("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, "stroke-width": tieWidth(tie, model) });
      if (!tie.strong) line.setAttribute("stroke-dasharray", DASH.join(" "));
      ties.appendChild(line);
    }
    svg.appendChild(ties);
    const nodes = svgElement("g", { stroke: "#212529", "font-family": "sans-serif", "font-size": 9 });
    for (const node of data.nodes) {
      const look = SECTOR[node.sector] || NO_SECTOR;
      const r = node.size / 2;
      let shape;
      if (look.shape === "rectangle") {
        shape = svgElement("rect", { x: node.x - r, y: node.y - r, width: 2 * r, height: 2 * r });
      } else if (look.shape === "diamond") {
        const points = [[node.x, node.y - r], [node.x + r, node.y], [node.x, node.y + r], [node.x - r, node.y]];
        shape = svgElement("polygon", { points: points.map((p) => p.join(",")).join(" ") });
      } else {
        shape = svgElement("circle", { cx: node.x, cy: node.y, r });
      }
      shape.setAttribute("fill", look.color);
      nodes.appendChild(shape);
      const label = svgElement("text", { x: node.x, y: node.y + r + 10, "text-anchor": "middle", stroke: "none", fill: "#212529" });
      label.textContent = node.label;
      nodes.appendChild(label);
    }
    svg.appendChild(nodes);
    return new XMLSerializer().serializeToString(svg);
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

  function downloadPng(name, svgText) {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      canvas.getContext("2d").drawImage(image, 0, 0);
      canvas.toBlob((blob) => download(name, blob), "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText);
  }

  function wireToolbar(cy, container, data, model) {
    document.querySelector("[data-map-fit]")?.addEventListener("click", () => cy.fit(undefined, 20));
    document.querySelectorAll("[data-map-export]").forEach((button) => {
      button.addEventListener("click", () => {
        const name = container.dataset.fileName;
        const svgText = toSvg(data, model);
        if (button.dataset.mapExport === "png") {
          downloadPng(`${name}.png`, svgText);
        } else {
          download(`${name}.svg`, new Blob([svgText], { type: "image/svg+xml" }));
        }
      });
    });
  }

  function wireSearch(cy, choose) {
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
        choose(null);
        return;
      }
      const node =
        cy.nodes().filter((n) => n.data("label").toLowerCase() === wanted)[0] ||
        cy.nodes().filter((n) => n.data("label").toLowerCase().includes(wanted))[0];
      if (!node) return;
      choose(node);
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

  // --- drawing ----------------------------------------------------------------------------------

  function draw(container, canvas, data) {
    const text = labels();
    const started = performance.now();
    const model = tieModel(data);
    const state = { chosen: null, labelled: null };
    const cy = cytoscape({
      container,
      elements: nodeElements(data),
      style: nodeStyle(data.view === "organizations"),
      layout: { name: "preset", fit: true, padding: 20 },
      minZoom: 0.05,
      maxZoom: 6,
      textureOnViewport: data.nodes.length > 500,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    const repaint = makePainter(cy, canvas, container, data, model, state);
    const choose = (node) => {
      cy.nodes().removeClass("chosen faded");
      state.chosen = node ? model.index.get(node.id()) : null;
      if (node) {
        const near = new Set([state.chosen]);
        for (const i of model.incident[state.chosen]) {
          near.add(model.ties[i].a);
          near.add(model.ties[i].b);
        }
        cy.nodes().filter((n) => !near.has(model.index.get(n.id()))).addClass("faded");
        node.addClass("chosen");
        showCard(container, node, model.incident[state.chosen].length, text);
      }
      repaint();
    };
    cy.on("mouseover tap", "node", (event) => choose(event.target));
    cy.on("tap", (event) => {
      if (event.target === cy) choose(null);
    });
    cy.on("viewport resize", repaint);
    // Names are measured and drawn only when they can be read: on a big map, once zoomed in.
    const labelAt = data.nodes.length > 300 ? 0.6 : 0;
    const label = () => {
      const wanted = cy.zoom() >= labelAt;
      if (wanted !== state.labelled) {
        state.labelled = wanted;
        cy.batch(() => (wanted ? cy.nodes().addClass("labelled") : cy.nodes().removeClass("labelled")));
      }
    };
    cy.on("zoom", label);
    label();
    window.addEventListener("resize", repaint);
    // Focusing (or hovering) a name in the tables below shows it on the map with its card.
    const fromTable = (event) => {
      const target = event.target instanceof Element ? event.target.closest("[data-map-node]") : null;
      if (!target) return;
      const node = cy.getElementById(target.dataset.mapNode);
      if (node.nonempty()) choose(node);
    };
    document.addEventListener("focusin", fromTable);
    document.addEventListener("mouseover", fromTable);
    wireToolbar(cy, container, data, model);
    wireSearch(cy, choose);
    repaint();
    cy.ready(() => {
      // Marked after the first frame is painted, so a benchmark measures the picture.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          container.dataset.drawnMs = String(Math.round(performance.now() - started));
          container.classList.add("map-drawn");
        }),
      );
    });
    window.suhdeMap = cy;
    window.suhdeMapTies = model.ties.length;
  }

  function start() {
    const container = document.getElementById("network-map");
    const canvas = document.getElementById("map-edges");
    if (!container || !canvas || typeof cytoscape === "undefined") return;
    const status = document.getElementById("map-status");
    // Same request as the page's <link rel="preload">, so the data arrive while scripts load.
    fetch(container.dataset.mapUrl, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => draw(container, canvas, data))
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
