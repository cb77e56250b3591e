// The network map: draws the server's nodes at the server's positions; the browser never runs a
// layout. Cytoscape.js holds the people (or organizations) for hovering, tapping, dragging,
// zooming and panning; the ties are painted on a plain canvas underneath, following Cytoscape's
// pan and zoom, because creating 12,000 Cytoscape edges alone took longer than the whole 2-second
// budget. Above 1,500 people (LARGE) a plain canvas renderer of our own draws the whole map
// instead: Cytoscape drew 5,000 people at 1 frame per second and 20,000 in 14 s on a CPU-only
// machine (docs/benchmarks.md). Both return the same view (fit, panBy, zoomAt, chooseId, findName,
// exportAs, …). window.SuhdeMap.draw is shared with the presentation (map_present.js).
(function () {
  "use strict";

  const SECTOR = {
    public: { color: "#0072B2", shape: "ellipse" },
    private: { color: "#E69F00", shape: "diamond" },
    third: { color: "#009E73", shape: "rectangle" },
  };
  const NO_SECTOR = { color: "#ffffff", shape: "ellipse" };
  // Okabe–Ito, then shapes, so that a category never rests on colour alone.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];
  const SHAPES = ["ellipse", "diamond", "rectangle", "triangle", "hexagon", "star", "vee"];
  const OTHER = { color: "#bdbdbd", shape: "ellipse" };
  const EDGE = "73, 80, 87";
  const DASH = [5, 4];
  const SVG_NS = "http://www.w3.org/2000/svg";
  const PRINT_WIDTH = 3508; // A4 landscape at 300 dpi
  const DPI = 300;
  const COMPOUND_LIMIT = 1500; // organization boxes cost more than they show beyond this

  function labels() {
    const element = document.getElementById("map-labels");
    return element ? JSON.parse(element.textContent) : { sector: {}, role: {}, strength: {}, brokerage: {}, size: {} };
  }

  // --- encoding: colour, shape and size from the chosen field or measure ----------------------

  // The value a node shows for one of the network's own fields: text and choices as they are,
  // a number as written, several tags by the first in alphabetical order.
  function fieldValue(node, name) {
    const value = (node.fields || {})[name];
    if (Array.isArray(value)) return value.length ? [...value].map(String).sort()[0] : "";
    return value === undefined || value === null ? "" : String(value);
  }

  function categories(data, key, text) {
    const counts = new Map();
    for (const node of data.nodes) counts.set(node[key], (counts.get(node[key]) || 0) + 1);
    const name = (value) => {
      if (key === "organization") return value || text.no_sector;
      if (key === "role") return text.role[value] || value;
      if (key === "theme") return value ? data.themes[value] || value : text.no_theme;
      if (key === "community") return text.community.replace("%s", String(Number(value) + 1));
      if (key === "brokerage") return value ? text.brokerage[value] || value : text.no_brokerage;
      if (key === "field") return value || text.no_field;
      return String(value);
    };
    // The most frequent first; an empty value ("none") never takes a colour of its own.
    const order = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || String(a).localeCompare(String(b)));
    const looks = new Map();
    const legend = [];
    let i = 0;
    for (const value of order) {
      const empty = value === "" || value === null;
      if (empty || i >= PALETTE.length) continue;
      const look = { color: PALETTE[i], shape: SHAPES[i] };
      looks.set(value, look);
      legend.push({ ...look, label: name(value), count: counts.get(value) });
      i += 1;
    }
    const rest = order.filter((value) => !looks.has(value));
    if (rest.length) {
      const count = rest.reduce((sum, value) => sum + counts.get(value), 0);
      const only = rest.length === 1 ? name(rest[0]) : text.other;
      legend.push({ ...OTHER, label: only, count });
    }
    return { look: (node) => looks.get(node[key]) || OTHER, legend };
  }

  function encoder(data, text) {
    const colour = (data.encoding && data.encoding.colour) || "sector";
    const size = (data.encoding && data.encoding.size) || "degree";
    let colours;
    if (colour === "sector" || data.view === "organizations") {
      const present = new Set(data.nodes.map((n) => n.sector));
      const legend = Object.keys(SECTOR)
        .filter((s) => present.has(s))
        .map((s) => ({ ...SECTOR[s], label: text.sector[s] }));
      if ([...present].some((s) => !SECTOR[s])) legend.push({ ...NO_SECTOR, label: text.no_sector });
      colours = { look: (node) => SECTOR[node.sector] || NO_SECTOR, legend };
    } else if (colour.startsWith("field:")) {
      const field = (data.fields || []).find((f) => `field:${f.id}` === colour);
      for (const node of data.nodes) node.field = field ? fieldValue(node, field.name) : "";
      colours = categories(data, "field", text);
    } else {
      colours = categories(data, colour, text);
    }
    const top = Math.max(1e-9, ...data.nodes.map((n) => n.betweenness || 0));
    const sizes = {
      degree: (n) => n.size,
      betweenness: (n) => Math.round((12 + 44 * Math.sqrt((n.betweenness || 0) / top)) * 10) / 10,
      brokerage: (n) => (n.brokerage ? 30 : 14),
      none: () => 18,
    };
    let sizeNote = text.size[size] || "";
    let sizeKey = data.view === "organizations" ? "degree" : size;
    if (size.startsWith("field:") && data.view !== "organizations") {
      // A number field: the lowest value 12 px, the highest 56, no value (or not a number) 8.
      const field = (data.fields || []).find((f) => `field:${f.id}` === size && f.kind === "number");
      const number = (n) => (field ? Number((n.fields || {})[field.name]) : NaN);
      const values = data.nodes.map(number).filter((v) => Number.isFinite(v));
      const low = values.length ? Math.min(...values) : 0;
      const span = values.length ? Math.max(...values) - low : 0;
      sizes.field = (n) => {
        const v = number(n);
        if (!Number.isFinite(v)) return 8;
        return Math.round((12 + 44 * Math.sqrt(span > 0 ? (v - low) / span : 1)) * 10) / 10;
      };
      sizeKey = "field";
      sizeNote = field && text.size.field ? text.size.field.replace("%s", field.name) : "";
    }
    return { look: colours.look, legend: colours.legend, size: sizes[sizeKey] || sizes.degree, sizeNote };
  }

  function nodeElements(data, encode, compound) {
    const elements = [];
    if (compound) {
      const seen = new Set();
      for (const node of data.nodes) {
        if (node.organization_id && !seen.has(node.organization_id)) {
          seen.add(node.organization_id);
          elements.push({ group: "nodes", data: { id: `g${node.organization_id}`, label: node.organization, kind: "group" }, classes: "group", selectable: false });
        }
      }
    }
    for (const node of data.nodes) {
      const look = encode.look(node);
      const extra = { color: look.color, shape: look.shape, size: encode.size(node) };
      if (compound && node.organization_id) extra.parent = `g${node.organization_id}`;
      elements.push({ group: "nodes", data: Object.assign({}, node, extra), position: { x: node.x, y: node.y } });
    }
    return elements;
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
          "min-zoomed-font-size": 6,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#212529",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
        },
      },
      {
        selector: "node.group",
        style: {
          "background-color": "#f1f3f5",
          "background-opacity": 0.6,
          "border-color": "#adb5bd",
          "border-style": "dashed",
          "border-width": 1,
          shape: "round-rectangle",
          padding: 8,
          label: "data(label)",
          "text-valign": "top",
          "text-margin-y": -2,
          "font-size": 10,
          color: "#495057",
          "min-zoomed-font-size": 8,
        },
      },
      { selector: "node.labelled, node.chosen, node.near", style: { label: "data(label)" } },
      { selector: "node.chosen", style: { "border-width": 4, "border-color": "#000000", "z-index": 10 } },
      { selector: "node.pinned", style: { "border-style": "double", "border-width": 3 } },
      { selector: "node.faded", style: { opacity: 0.2 } },
    ];
  }

  // --- the ties -------------------------------------------------------------------------------

  function tieModel(data) {
    const index = new Map(data.nodes.map((node, i) => [node.id, i]));
    const ties = [];
    const incident = data.nodes.map(() => []);
    const pairs = new Set(data.edges.map((e) => `${e.source}>${e.target}`));
    for (const edge of data.edges) {
      const a = index.get(edge.source);
      const b = index.get(edge.target);
      if (a === undefined || b === undefined) continue;
      incident[a].push(ties.length);
      incident[b].push(ties.length);
      // One-way ties get an arrow; a pair named from both ends is drawn as one line.
      const both = pairs.has(`${edge.target}>${edge.source}`);
      ties.push({ a, b, strong: edge.strength === "strong", count: edge.count || 1, arrow: !both && data.view !== "organizations" });
    }
    return { index, ties, incident, perEdgeWidth: data.view === "organizations" };
  }

  function tieWidth(tie, model) {
    const base = tie.strong ? 2.2 : 1;
    return model.perEdgeWidth ? base + Math.min(tie.count - 1, 12) * 0.6 : base;
  }

  function strokeTies(ctx, data, model, list, transform, colour, arrows) {
    const { zoom, pan } = transform;
    const at = (i) => [data.nodes[i].x * zoom + pan.x, data.nodes[i].y * zoom + pan.y];
    const line = (tie) => {
      const [x1, y1] = at(tie.a);
      const [x2, y2] = at(tie.b);
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
    };
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    for (const strong of [false, true]) {
      ctx.setLineDash(strong ? [] : DASH);
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
    if (!arrows) return;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const tie of list) {
      if (!tie.arrow) continue;
      const [x1, y1] = at(tie.a);
      const [x2, y2] = at(tie.b);
      const length = Math.hypot(x2 - x1, y2 - y1);
      const r = ((data.nodes[tie.b].drawn || 16) / 2) * zoom + 2;
      if (length < r + 8) continue;
      const ux = (x2 - x1) / length;
      const uy = (y2 - y1) / length;
      const tx = x2 - ux * r;
      const ty = y2 - uy * r;
      const s = 4 + (tie.strong ? 2 : 0);
      ctx.moveTo(tx, ty);
      ctx.lineTo(tx - ux * s * 1.8 - uy * s, ty - uy * s * 1.8 + ux * s);
      ctx.lineTo(tx - ux * s * 1.8 + uy * s, ty - uy * s * 1.8 - ux * s);
      ctx.closePath();
    }
    ctx.fill();
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
      // Arrows only when they can be seen: zoomed in, or a map small enough to read whole.
      const arrows = model.ties.length <= 3000 || transform.zoom >= 0.8;
      strokeTies(ctx, data, model, model.ties, transform, `rgba(${EDGE}, ${chosen === null ? 0.55 : 0.12})`, arrows);
      if (chosen !== null) {
        strokeTies(ctx, data, model, model.incident[chosen].map((i) => model.ties[i]), transform, "rgba(0, 0, 0, 1)", true);
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

  // --- names that do not overlap ----------------------------------------------------------------

  // The biggest shapes get their names first; a name that would cover one already placed waits
  // until the map is zoomed in far enough. Hover, focus and the chosen node always show theirs.
  function placeLabels(cy, people, fontSize) {
    const zoom = cy.zoom();
    const px = fontSize * zoom;
    const shown = [];
    if (px >= 6) {
      const extent = cy.extent();
      const taken = new Map();
      const cell = 48;
      const inView = people.filter((n) => {
        const p = n.position();
        return p.x >= extent.x1 && p.x <= extent.x2 && p.y >= extent.y1 && p.y <= extent.y2;
      });
      inView.sort((a, b) => b.data("size") - a.data("size") || a.data("label").localeCompare(b.data("label")));
      const budget = Math.min(inView.length, 800);
      for (let k = 0; k < inView.length && shown.length < budget; k += 1) {
        const node = inView[k];
        const p = node.renderedPosition();
        const w = node.data("label").length * px * 0.56 + 4;
        const h = px + 3;
        const top = p.y + (node.data("size") * zoom) / 2 + 2;
        const box = [p.x - w / 2, top, p.x + w / 2, top + h];
        let free = true;
        const cells = [];
        for (let cx = Math.floor(box[0] / cell); cx <= Math.floor(box[2] / cell) && free; cx += 1) {
          for (let cyy = Math.floor(box[1] / cell); cyy <= Math.floor(box[3] / cell) && free; cyy += 1) {
            const key = `${cx}:${cyy}`;
            cells.push(key);
            for (const other of taken.get(key) || []) {
              if (box[0] < other[2] && box[2] > other[0] && box[1] < other[3] && box[3] > other[1]) {
                free = false;
                break;
              }
            }
          }
        }
        if (!free) continue;
        for (const key of cells) {
          if (!taken.has(key)) taken.set(key, []);
          taken.get(key).push(box);
        }
        shown.push(node);
      }
    }
    cy.batch(() => {
      people.removeClass("labelled");
      for (const node of shown) node.addClass("labelled");
    });
    return shown.length;
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
      const element = card.querySelector(`[data-card="${key}"]`);
      if (element) element.textContent = value;
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
      if (!link) continue;
      link.hidden = !href;
      if (href) link.href = href;
    }
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  function svgShape(shape, x, y, r) {
    if (shape === "rectangle") return svgElement("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r });
    const polygon = (points) => svgElement("polygon", { points: points.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" ") });
    if (shape === "diamond") return polygon([[x, y - r], [x + r, y], [x, y + r], [x - r, y]]);
    if (shape === "triangle") return polygon([[x, y - r], [x + r, y + r], [x - r, y + r]]);
    if (shape === "vee") return polygon([[x - r, y - r], [x, y - r / 3], [x + r, y - r], [x, y + r]]);
    if (shape === "hexagon" || shape === "star") {
      const points = [];
      const corners = shape === "star" ? 10 : 6;
      for (let i = 0; i < corners; i += 1) {
        const radius = shape === "star" && i % 2 ? r * 0.45 : r;
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / corners;
        points.push([x + radius * Math.cos(angle), y + radius * Math.sin(angle)]);
      }
      return polygon(points);
    }
    return svgElement("circle", { cx: x, cy: y, r });
  }

  // The map as SVG from the same data, with what a printed page needs: a title, the legend, the
  // date and where it came from. Names are those shown on the screen (they do not overlap).
  function toSvg(view) {
    const { data, model, encode, text, container } = view;
    const margin = 60;
    const nodes = data.nodes;
    const xs = nodes.map((n) => n.x);
    const ys = nodes.map((n) => n.y);
    const minX = Math.min(...xs, 0) - margin;
    const minY = Math.min(...ys, 0) - margin;
    const mapWidth = Math.max(...xs, 0) + margin - minX;
    const mapHeight = Math.max(...ys, 0) + margin - minY;
    // The legend and the title scale with the picture, so they stay readable on a big network.
    const unit = Math.max(1, mapWidth / 1200);
    const header = 70 * unit;
    const legendWidth = 330 * unit;
    const footer = 40 * unit;
    const width = mapWidth + legendWidth;
    const height = Math.max(mapHeight, (encode.legend.length + 6) * 26 * unit) + header + footer;
    const x0 = minX;
    const y0 = minY - header;
    const svg = svgElement("svg", { xmlns: SVG_NS, viewBox: `${x0} ${y0} ${width} ${height}`, width: Math.round(width), height: Math.round(height), "font-family": "sans-serif" });
    svg.appendChild(svgElement("rect", { x: x0, y: y0, width, height, fill: "#ffffff" }));
    const title = svgElement("text", { x: x0 + 20 * unit, y: y0 + 42 * unit, "font-size": 28 * unit, "font-weight": 700, fill: "#212529" });
    title.textContent = container.dataset.title || "";
    svg.appendChild(title);
    const ties = svgElement("g", { stroke: `rgb(${EDGE})`, "stroke-opacity": 0.6 });
    for (const tie of model.ties) {
      const p = nodes[tie.a];
      const q = nodes[tie.b];
      const line = svgElement("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, "stroke-width": tieWidth(tie, model) });
      if (!tie.strong) line.setAttribute("stroke-dasharray", DASH.join(" "));
      if (tie.arrow) line.setAttribute("marker-end", "url(#arrow)");
      ties.appendChild(line);
    }
    const defs = svgElement("defs", {});
    const marker = svgElement("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 18, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" });
    marker.appendChild(svgElement("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: `rgb(${EDGE})` }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    svg.appendChild(ties);
    const shapes = svgElement("g", { stroke: "#212529" });
    const names = svgElement("g", { "font-size": 9, fill: "#212529", "text-anchor": "middle" });
    const labelled = new Set(view.labelled());
    for (const node of nodes) {
      const look = encode.look(node);
      const r = encode.size(node) / 2;
      const shape = svgShape(look.shape, node.x, node.y, r);
      shape.setAttribute("fill", look.color);
      shapes.appendChild(shape);
      if (labelled.has(node.id)) {
        const label = svgElement("text", { x: node.x, y: node.y + r + 10 });
        label.textContent = node.label;
        names.appendChild(label);
      }
    }
    svg.appendChild(shapes);
    svg.appendChild(names);
    svg.appendChild(legendSvg(view, x0 + mapWidth, y0 + header, unit));
    const source = svgElement("text", { x: x0 + 20 * unit, y: y0 + height - 14 * unit, "font-size": 13 * unit, fill: "#495057" });
    const today = new Date().toLocaleDateString(document.documentElement.lang || undefined);
    source.textContent = text.source.replace("%(network)s", container.dataset.network || "").replace("%(date)s", today);
    svg.appendChild(source);
    return { text: new XMLSerializer().serializeToString(svg), width, height };
  }

  function legendSvg(view, left, top, unit) {
    const { encode, text } = view;
    const group = svgElement("g", { "font-size": 14 * unit, fill: "#212529" });
    const line = 26 * unit;
    let y = top + line;
    const heading = svgElement("text", { x: left, y, "font-weight": 700 });
    heading.textContent = text.legend;
    group.appendChild(heading);
    for (const entry of encode.legend) {
      y += line;
      const shape = svgShape(entry.shape, left + 9 * unit, y - 5 * unit, 7 * unit);
      shape.setAttribute("fill", entry.color);
      shape.setAttribute("stroke", "#212529");
      group.appendChild(shape);
      const label = svgElement("text", { x: left + 24 * unit, y });
      label.textContent = entry.label;
      group.appendChild(label);
    }
    for (const [key, dash, w] of [["strong", null, 2.2], ["weak", DASH.join(" "), 1]]) {
      y += line;
      const sample = svgElement("line", { x1: left, y1: y - 5 * unit, x2: left + 18 * unit, y2: y - 5 * unit, stroke: `rgb(${EDGE})`, "stroke-width": w * unit });
      if (dash) sample.setAttribute("stroke-dasharray", dash);
      group.appendChild(sample);
      const label = svgElement("text", { x: left + 24 * unit, y });
      label.textContent = text[key];
      group.appendChild(label);
    }
    for (const note of [encode.sizeNote, view.data.view === "organizations" ? "" : text.direction]) {
      if (!note) continue;
      y += line;
      const label = svgElement("text", { x: left, y, "font-size": 12 * unit });
      label.textContent = note;
      group.appendChild(label);
    }
    return group;
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

  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // A pHYs chunk right after IHDR tells image programs and printers the picture is 300 dpi.
  function withDpi(buffer, dpi) {
    const bytes = new Uint8Array(buffer);
    const perMetre = Math.round(dpi / 0.0254);
    const chunk = new Uint8Array(21);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, 9);
    chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
    view.setUint32(8, perMetre);
    view.setUint32(12, perMetre);
    chunk[16] = 1; // unit: metre
    view.setUint32(17, crc32(chunk.subarray(4, 17)));
    const at = 8 + 25; // signature, then IHDR (length, type, 13 bytes, crc)
    const out = new Uint8Array(bytes.length + chunk.length);
    out.set(bytes.subarray(0, at), 0);
    out.set(chunk, at);
    out.set(bytes.subarray(at), at + chunk.length);
    return out;
  }

  // Rendered at print width (A4 landscape at 300 dpi); resolves to the PNG's bytes.
  function toPng(svg) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => {
        const scale = PRINT_WIDTH / svg.width;
        const canvas = document.createElement("canvas");
        canvas.width = PRINT_WIDTH;
        canvas.height = Math.min(Math.round(svg.height * scale), PRINT_WIDTH * 3);
        const ctx = canvas.getContext("2d");
        ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob((blob) => {
          if (!blob) return reject(new Error("png"));
          blob.arrayBuffer().then((buffer) => resolve(withDpi(buffer, DPI)), reject);
        }, "image/png");
      };
      image.onerror = reject;
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg.text);
    });
  }

  function exportView(view, kind) {
    const name = view.container.dataset.fileName || "map";
    const svg = toSvg(view);
    if (kind === "svg") {
      download(`${name}.svg`, new Blob([svg.text], { type: "image/svg+xml" }));
      return Promise.resolve();
    }
    return toPng(svg).then((bytes) => download(`${name}.png`, new Blob([bytes], { type: "image/png" })));
  }

  function legendHtml(list, view) {
    if (!list) return;
    const { encode, text } = view;
    list.replaceChildren();
    const item = (swatch, label) => {
      const li = document.createElement("li");
      if (swatch) li.appendChild(swatch);
      li.appendChild(document.createTextNode(label));
      list.appendChild(li);
    };
    for (const entry of encode.legend) {
      const svg = svgElement("svg", { width: 14, height: 14, viewBox: "-8 -8 16 16", "aria-hidden": "true", class: "legend-swatch" });
      const shape = svgShape(entry.shape, 0, 0, 6);
      shape.setAttribute("fill", entry.color);
      shape.setAttribute("stroke", "#212529");
      svg.appendChild(shape);
      item(svg, entry.label + (entry.count ? ` (${entry.count})` : ""));
    }
    for (const key of ["strong", "weak"]) {
      const span = document.createElement("span");
      span.className = `tie-line tie-${key}`;
      span.setAttribute("aria-hidden", "true");
      item(span, text[key]);
    }
    if (encode.sizeNote) item(null, encode.sizeNote);
    if (view.data.view !== "organizations") item(null, text.direction);
  }

  // --- drawing ----------------------------------------------------------------------------------

  function draw(container, canvas, data, options) {
    return data.nodes.length > LARGE ? drawLarge(container, canvas, data, options) : drawCytoscape(container, canvas, data, options);
  }

  function drawCytoscape(container, canvas, data, options) {
    options = options || {};
    const text = labels();
    const started = performance.now();
    const model = tieModel(data);
    const encode = encoder(data, text);
    const state = { chosen: null, moved: new Set(data.nodes.filter((n) => n.pinned).map((n) => n.id)) };
    const compound = data.view === "people" && (data.encoding || {}).layout === "force" && !data.ego && data.nodes.length <= COMPOUND_LIMIT;
    for (const node of data.nodes) node.drawn = encode.size(node);
    const settings = {
      container,
      elements: nodeElements(data, encode, compound),
      style: nodeStyle(data.view === "organizations"),
      layout: { name: "preset", fit: true, padding: 24 },
      minZoom: 0.02,
      maxZoom: 6,
      boxSelectionEnabled: false,
      autoungrabify: Boolean(options.readOnly),
    };
    const cy = cytoscape(settings);
    const people = cy.nodes().not(".group");
    const repaint = makePainter(cy, canvas, container, data, model, state);
    const sync = (node) => {
      const i = model.index.get(node.id());
      if (i === undefined) return;
      const p = node.position();
      data.nodes[i].x = p.x;
      data.nodes[i].y = p.y;
    };
    const labelsNow = () => placeLabels(cy, people, data.view === "organizations" ? 12 : 9);
    let labelQueued = false;
    const relabel = () => {
      if (labelQueued) return;
      labelQueued = true;
      requestAnimationFrame(() => {
        labelQueued = false;
        labelsNow();
      });
    };
    const choose = (node) => {
      cy.batch(() => {
        people.removeClass("chosen faded near");
        state.chosen = node ? model.index.get(node.id()) : null;
        if (node && state.chosen !== undefined) {
          const near = new Set([state.chosen]);
          for (const i of model.incident[state.chosen]) {
            near.add(model.ties[i].a);
            near.add(model.ties[i].b);
          }
          people.forEach((n) => {
            const i = model.index.get(n.id());
            if (!near.has(i)) n.addClass("faded");
            else if (i !== state.chosen) n.addClass("near");
          });
          node.addClass("chosen");
        }
      });
      if (node && state.chosen !== undefined) {
        showCard(container, node, model.incident[state.chosen].length, text);
      }
      repaint();
    };
    cy.on("mouseover tap", "node", (event) => {
      if (!event.target.hasClass("group")) choose(event.target);
    });
    cy.on("tap", (event) => {
      if (event.target === cy) choose(null);
    });
    cy.on("drag", "node", (event) => {
      const node = event.target;
      sync(node);
      node.descendants().forEach(sync);
      repaint();
    });
    cy.on("free", "node", (event) => {
      const node = event.target;
      const moved = node.hasClass("group") ? node.descendants() : node;
      moved.forEach((n) => {
        sync(n);
        state.moved.add(n.id());
        n.addClass("pinned");
      });
      relabel();
      options.onMove && options.onMove(state.moved.size);
    });
    cy.on("viewport resize", () => {
      repaint();
      relabel();
    });
    window.addEventListener("resize", repaint);
    // Only what is moved now is marked: a saved view's positions are its picture, not pins.
    const order = people.sort((a, b) => a.data("label").localeCompare(b.data("label")));
    const keyboard = (event) => {
      if (event.target !== container || !order.length) return;
      const arrows = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
      if (event.key === "Escape") {
        choose(null);
        return;
      }
      if (!(event.key in arrows)) return;
      event.preventDefault();
      const [dx, dy] = arrows[event.key];
      const current = state.chosen === null ? null : cy.getElementById(data.nodes[state.chosen].id);
      if (event.shiftKey && current && !options.readOnly) {
        const step = 12 / cy.zoom();
        current.position({ x: current.position("x") + dx * step, y: current.position("y") + dy * step });
        sync(current);
        state.moved.add(current.id());
        current.addClass("pinned");
        repaint();
        relabel();
        options.onMove && options.onMove(state.moved.size);
        return;
      }
      const at = current ? order.indexOf(current) : -1;
      const next = order[(at + (dx + dy > 0 ? 1 : -1) + order.length) % order.length];
      choose(next);
      cy.animate({ center: { eles: next } }, { duration: 150 });
    };
    container.addEventListener("keydown", keyboard);
    const view = {
      cy,
      renderer: "cytoscape",
      data,
      model,
      encode,
      text,
      container,
      state,
      choose,
      chooseId: (id) => {
        const node = cy.getElementById(id);
        if (node.empty() || node.hasClass("group")) return false;
        choose(node);
        return true;
      },
      chosenId: () => (state.chosen === null ? null : data.nodes[state.chosen].id),
      findName: (wanted) => {
        const w = wanted.toLowerCase();
        const node =
          people.filter((n) => n.data("label").toLowerCase() === w)[0] ||
          people.filter((n) => n.data("label").toLowerCase().includes(w))[0];
        if (!node) return null;
        choose(node);
        cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
        return node.id();
      },
      names: () => people.map((n) => n.data("label")),
      fit: () => cy.fit(undefined, 24),
      panBy: (dx, dy) => cy.panBy({ x: dx, y: dy }),
      zoom: () => cy.zoom(),
      pan: () => cy.pan(),
      zoomAt: (level, at) => cy.zoom({ level, renderedPosition: at || { x: container.clientWidth / 2, y: container.clientHeight / 2 } }),
      screenPosition: (id) => {
        const node = cy.getElementById(id);
        return node.empty() ? null : node.renderedPosition();
      },
      labelled: () => cy.nodes(".labelled").map((n) => n.id()),
      positions: () => {
        const result = {};
        for (const id of state.moved) {
          const i = model.index.get(id);
          if (i !== undefined) result[id] = [Math.round(data.nodes[i].x * 10) / 10, Math.round(data.nodes[i].y * 10) / 10];
        }
        return result;
      },
      allPositions: () => Object.fromEntries(data.nodes.map((n) => [n.id, [Math.round(n.x * 10) / 10, Math.round(n.y * 10) / 10]])),
      place: (nodes) => {
        cy.batch(() => {
          for (const node of nodes) {
            const i = model.index.get(node.id);
            if (i === undefined) continue;
            data.nodes[i].x = node.x;
            data.nodes[i].y = node.y;
            cy.getElementById(node.id).position({ x: node.x, y: node.y });
          }
        });
        repaint();
        relabel();
      },
      exportAs: (kind) => exportView(view, kind),
      destroy: () => {
        container.removeEventListener("keydown", keyboard);
        window.removeEventListener("resize", repaint);
        cy.destroy();
        const ctx = canvas.getContext("2d");
        ctx.clearRect(0, 0, canvas.width, canvas.height);
      },
    };
    container.dataset.renderer = "cytoscape";
    legendHtml(options.legend, view);
    repaint();
    cy.ready(() => {
      labelsNow();
      // Marked after the first frame is painted, so a benchmark measures the picture.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const now = performance.now();
          container.dataset.drawnMs = String(Math.round(now - started));
          // From the data's arrival (parsing included) to the first painted frame: the budget.
          const arrived = Number(container.dataset.arrivedAt || started);
          container.dataset.sinceDataMs = String(Math.round(now - arrived));
          container.classList.add("map-drawn");
        }),
      );
    });
    return view;
  }

  // --- the large-network renderer -----------------------------------------------------------------

  // Above LARGE people the map is drawn by this plain canvas renderer instead of Cytoscape: every
  // shape and line painted in a few batched paths with one transform, a grid of cells to find the
  // shape under the pointer, names only for the chosen person's neighbourhood and, zoomed in, for
  // the biggest shapes that fit. While the map moves, the last full picture is moved and scaled
  // as a bitmap, and it is painted again when the movement stops (docs/map.md, "Large networks").
  const LARGE = 1500;
  const MIN_DOT = 3; // px: a shape never shrinks below this, so a zoomed-out map stays visible
  const SETTLE_MS = 140;

  function unitShape(shape) {
    const points = [];
    if (shape === "diamond") return [[0, -1], [1, 0], [0, 1], [-1, 0]];
    if (shape === "triangle") return [[0, -1], [1, 1], [-1, 1]];
    if (shape === "vee") return [[-1, -1], [0, -1 / 3], [1, -1], [0, 1]];
    if (shape === "hexagon" || shape === "star") {
      const corners = shape === "star" ? 10 : 6;
      for (let i = 0; i < corners; i += 1) {
        const radius = shape === "star" && i % 2 ? 0.45 : 1;
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / corners;
        points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
      }
      return points;
    }
    return null; // ellipse and rectangle are drawn directly
  }

  function traceShape(ctx, shape, unit, x, y, r) {
    if (shape === "rectangle") {
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
    } else if (unit) {
      ctx.moveTo(x + unit[0][0] * r, y + unit[0][1] * r);
      for (let k = 1; k < unit.length; k += 1) ctx.lineTo(x + unit[k][0] * r, y + unit[k][1] * r);
      ctx.closePath();
    } else {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  // Many ties in view are drawn as pixels of our own instead of canvas paths: a line walked one
  // pixel at a time into a count per pixel, each count then a shade (the more lines through a
  // pixel, the darker), weak ties dashed by leaving out pixels. Chromium's software canvas took
  // seconds to stroke 60,000 anti-aliased lines; this takes a fraction of that.
  const RASTER_FROM = 3000;

  function rasterTies(ctx, nodes, list, transform, width, height, ratio, alpha) {
    const W = Math.round(width * ratio);
    const H = Math.round(height * ratio);
    const counts = new Uint8Array(W * H);
    const { zoom, pan } = transform;
    const plot = (x, y) => {
      if (x >= 0 && y >= 0 && x < W && y < H) {
        const i = y * W + x;
        if (counts[i] < 255) counts[i] += 1;
      }
    };
    for (const tie of list) {
      let x1 = (nodes[tie.a].x * zoom + pan.x) * ratio;
      let y1 = (nodes[tie.a].y * zoom + pan.y) * ratio;
      let x2 = (nodes[tie.b].x * zoom + pan.x) * ratio;
      let y2 = (nodes[tie.b].y * zoom + pan.y) * ratio;
      // Clipped to the screen (Liang–Barsky), so a long line costs only its visible part.
      const dx = x2 - x1;
      const dy = y2 - y1;
      let t0 = 0;
      let t1 = 1;
      const edges = [[-dx, x1], [dx, W - 1 - x1], [-dy, y1], [dy, H - 1 - y1]];
      let visible = true;
      for (const [p, q] of edges) {
        if (p === 0) {
          if (q < 0) visible = false;
        } else {
          const r = q / p;
          if (p < 0) t0 = Math.max(t0, r);
          else t1 = Math.min(t1, r);
        }
      }
      if (!visible || t0 > t1) continue;
      x2 = x1 + t1 * dx;
      y2 = y1 + t1 * dy;
      x1 += t0 * dx;
      y1 += t0 * dy;
      const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x2 - x1), Math.abs(y2 - y1))));
      const sx = (x2 - x1) / steps;
      const sy = (y2 - y1) / steps;
      const wide = Math.abs(dx) >= Math.abs(dy);
      let x = x1;
      let y = y1;
      for (let k = 0; k <= steps; k += 1, x += sx, y += sy) {
        if (!tie.strong && k % 9 >= 5) continue; // dashed: 5 on, 4 off, as DASH
        const px = Math.round(x);
        const py = Math.round(y);
        plot(px, py);
        if (tie.strong) plot(wide ? px : px + 1, wide ? py + 1 : py); // two pixels thick
      }
    }
    const shade = new Uint32Array(256);
    const [r, g, b] = EDGE.split(",").map(Number);
    for (let c = 1; c < 256; c += 1) {
      const a = Math.round(255 * (1 - Math.pow(1 - alpha, c)));
      shade[c] = ((a << 24) | (b << 16) | (g << 8) | r) >>> 0; // RGBA in a little-endian word
    }
    const image = ctx.createImageData(W, H);
    const words = new Uint32Array(image.data.buffer);
    for (let i = 0; i < counts.length; i += 1) if (counts[i]) words[i] = shade[counts[i]];
    ctx.putImageData(image, 0, 0);
  }

  function drawLarge(container, canvas, data, options) {
    options = options || {};
    const text = labels();
    const started = performance.now();
    const model = tieModel(data);
    const encode = encoder(data, text);
    const nodes = data.nodes;
    const state = { chosen: null, moved: new Set(nodes.filter((n) => n.pinned).map((n) => n.id)) };
    const fontSize = data.view === "organizations" ? 12 : 9;
    // The shapes in groups of one look, so that each group is one path.
    const groups = new Map();
    nodes.forEach((node, i) => {
      node.drawn = encode.size(node);
      const look = encode.look(node);
      const key = `${look.color}|${look.shape}`;
      if (!groups.has(key)) groups.set(key, { color: look.color, shape: look.shape, unit: unitShape(look.shape), members: [] });
      groups.get(key).members.push(i);
    });
    const view = { zoom: 1, pan: { x: 0, y: 0 } };
    container.dataset.prepareMs = String(Math.round(performance.now() - started));
    let near = null; // the chosen person and their partners, as indexes
    let shownLabels = [];

    // --- where things are: a grid of cells over the map's own coordinates
    const CELL = 64;
    let grid = new Map();
    const cellKey = (cx, cy) => cx * 1048576 + cy;
    const index = () => {
      grid = new Map();
      nodes.forEach((node, i) => {
        const key = cellKey(Math.floor(node.x / CELL), Math.floor(node.y / CELL));
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(i);
      });
    };
    index();
    const radius = (i) => Math.max((nodes[i].drawn / 2) * view.zoom, MIN_DOT / 2);
    const nodeAt = (sx, sy) => {
      const x = (sx - view.pan.x) / view.zoom;
      const y = (sy - view.pan.y) / view.zoom;
      const reach = Math.max(30, 6 / view.zoom); // the biggest shape's half-width, or 6 px
      let best = -1;
      let bestDistance = Infinity;
      for (let cx = Math.floor((x - reach) / CELL); cx <= Math.floor((x + reach) / CELL); cx += 1) {
        for (let cy = Math.floor((y - reach) / CELL); cy <= Math.floor((y + reach) / CELL); cy += 1) {
          for (const i of grid.get(cellKey(cx, cy)) || []) {
            const d = Math.hypot(nodes[i].x * view.zoom + view.pan.x - sx, nodes[i].y * view.zoom + view.pan.y - sy);
            if (d <= Math.max(radius(i), 6) && d < bestDistance) {
              best = i;
              bestDistance = d;
            }
          }
        }
      }
      return best;
    };

    // --- painting
    const scene = document.createElement("canvas"); // the last full picture, moved while panning
    let sceneAt = null;
    let settleTimer = null;
    let moving = false;
    let queued = false;
    const size = () => [container.clientWidth, container.clientHeight];

    const placeNames = (width, height) => {
      const px = fontSize * view.zoom;
      const result = [];
      if (near) {
        for (const i of near) result.push(i);
      }
      if (px < 6) return result;
      const inView = [];
      for (let i = 0; i < nodes.length; i += 1) {
        const x = nodes[i].x * view.zoom + view.pan.x;
        const y = nodes[i].y * view.zoom + view.pan.y;
        if (x >= 0 && x <= width && y >= 0 && y <= height) inView.push(i);
      }
      if (inView.length > 2000) return result; // too many to read: the chosen ones only
      inView.sort((a, b) => nodes[b].drawn - nodes[a].drawn || nodes[a].label.localeCompare(nodes[b].label));
      const taken = [];
      const chosen = new Set(result);
      for (const i of inView) {
        if (result.length >= 400) break;
        if (chosen.has(i)) continue;
        const w = nodes[i].label.length * px * 0.56 + 4;
        const x = nodes[i].x * view.zoom + view.pan.x;
        const top = nodes[i].y * view.zoom + view.pan.y + radius(i) + 2;
        const box = [x - w / 2, top, x + w / 2, top + px + 3];
        if (taken.some((o) => box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1])) continue;
        taken.push(box);
        result.push(i);
      }
      return result;
    };

    const paintScene = (ctx, width, height) => {
      ctx.clearRect(0, 0, width, height);
      const transform = { zoom: view.zoom, pan: view.pan };
      const arrows = model.ties.length <= RASTER_FROM || view.zoom >= 0.8;
      // Lines with both ends off the same side of the screen are not drawn.
      const seen = model.ties.filter((tie) => {
        const a = nodes[tie.a];
        const b = nodes[tie.b];
        const ax = a.x * view.zoom + view.pan.x;
        const bx = b.x * view.zoom + view.pan.x;
        const ay = a.y * view.zoom + view.pan.y;
        const by = b.y * view.zoom + view.pan.y;
        return !((ax < 0 && bx < 0) || (ax > width && bx > width) || (ay < 0 && by < 0) || (ay > height && by > height));
      });
      const fade = state.chosen === null ? 0.55 : 0.12;
      if (seen.length > RASTER_FROM) {
        const ratio = window.devicePixelRatio || 1;
        rasterTies(ctx, nodes, seen, transform, width, height, ratio, fade);
      } else {
        strokeTies(ctx, data, model, seen, transform, `rgba(${EDGE}, ${fade})`, arrows);
      }
      if (state.chosen !== null) {
        strokeTies(ctx, data, model, model.incident[state.chosen].map((i) => model.ties[i]), transform, "rgba(0, 0, 0, 1)", true);
      }
      ctx.setLineDash([]);
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#212529";
      for (const faded of near ? [true, false] : [false]) {
        ctx.globalAlpha = faded ? 0.2 : 1;
        for (const group of groups.values()) {
          ctx.beginPath();
          for (const i of group.members) {
            if (near && near.has(i) === faded) continue;
            const x = nodes[i].x * view.zoom + view.pan.x;
            const y = nodes[i].y * view.zoom + view.pan.y;
            const r = radius(i);
            if (x < -r || y < -r || x > width + r || y > height + r) continue;
            traceShape(ctx, group.shape, group.unit, x, y, r);
          }
          ctx.fillStyle = group.color;
          ctx.fill();
          if (view.zoom * 14 >= 4) ctx.stroke(); // outlines only where they can be told apart
        }
      }
      ctx.globalAlpha = 1;
      // Moved (pinned) people get a thicker outline, the chosen one a black one.
      ctx.beginPath();
      ctx.lineWidth = 3;
      for (const id of state.moved) {
        const i = model.index.get(id);
        if (i === undefined) continue;
        traceShape(ctx, "ellipse", null, nodes[i].x * view.zoom + view.pan.x, nodes[i].y * view.zoom + view.pan.y, radius(i) + 1);
      }
      ctx.stroke();
      if (state.chosen !== null) {
        ctx.beginPath();
        ctx.lineWidth = 4;
        ctx.strokeStyle = "#000000";
        const i = state.chosen;
        traceShape(ctx, "ellipse", null, nodes[i].x * view.zoom + view.pan.x, nodes[i].y * view.zoom + view.pan.y, radius(i) + 2);
        ctx.stroke();
      }
      shownLabels = placeNames(width, height);
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      ctx.fillStyle = "#212529";
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 3;
      for (const i of shownLabels) {
        const px = near && near.has(i) ? Math.max(12, fontSize * view.zoom) : fontSize * view.zoom;
        ctx.font = `${px}px sans-serif`;
        const x = nodes[i].x * view.zoom + view.pan.x;
        const y = nodes[i].y * view.zoom + view.pan.y + radius(i) + 2;
        ctx.strokeText(nodes[i].label, x, y);
        ctx.fillText(nodes[i].label, x, y);
      }
    };

    const paint = () => {
      queued = false;
      const paintStarted = performance.now();
      const ratio = window.devicePixelRatio || 1;
      const [width, height] = size();
      for (const target of [canvas, scene]) {
        if (target.width !== Math.round(width * ratio) || target.height !== Math.round(height * ratio)) {
          target.width = Math.round(width * ratio);
          target.height = Math.round(height * ratio);
          sceneAt = null;
        }
      }
      const ctx = canvas.getContext("2d");
      if (moving && sceneAt) {
        // The last picture, moved and scaled to the current view: no shape is drawn again.
        const scale = view.zoom / sceneAt.zoom;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.setTransform(scale, 0, 0, scale, ratio * (view.pan.x - sceneAt.pan.x * scale), ratio * (view.pan.y - sceneAt.pan.y * scale));
        ctx.drawImage(scene, 0, 0);
      } else {
        const sctx = scene.getContext("2d");
        sctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        paintScene(sctx, width, height);
        sceneAt = { zoom: view.zoom, pan: { ...view.pan } };
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(scene, 0, 0);
        canvas.dataset.fullPaintMs = String(Math.round(performance.now() - paintStarted));
      }
      canvas.dataset.paintMs = String(Math.round(performance.now() - paintStarted));
    };
    const repaint = () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(paint);
      }
    };
    const settle = () => {
      moving = false;
      settleTimer = null;
      repaint();
    };
    // A change of view: the bitmap follows at once, the full picture once the movement stops.
    const moved = () => {
      moving = true;
      clearTimeout(settleTimer);
      settleTimer = setTimeout(settle, SETTLE_MS);
      repaint();
    };
    const full = () => {
      sceneAt = null;
      repaint();
    };

    // --- the view
    const MIN_ZOOM = 0.002;
    const MAX_ZOOM = 6;
    const zoomAt = (level, at) => {
      const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, level));
      const [width, height] = size();
      const point = at || { x: width / 2, y: height / 2 };
      view.pan = {
        x: point.x - ((point.x - view.pan.x) * next) / view.zoom,
        y: point.y - ((point.y - view.pan.y) * next) / view.zoom,
      };
      view.zoom = next;
      moved();
    };
    const panBy = (dx, dy) => {
      view.pan = { x: view.pan.x + dx, y: view.pan.y + dy };
      moved();
    };
    const fit = () => {
      const [width, height] = size();
      if (!nodes.length || !width || !height) return;
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      for (const node of nodes) {
        const r = node.drawn / 2;
        x1 = Math.min(x1, node.x - r);
        y1 = Math.min(y1, node.y - r);
        x2 = Math.max(x2, node.x + r);
        y2 = Math.max(y2, node.y + r);
      }
      const padding = 24;
      const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min((width - 2 * padding) / Math.max(x2 - x1, 1), (height - 2 * padding) / Math.max(y2 - y1, 1))));
      view.zoom = zoom;
      view.pan = { x: width / 2 - ((x1 + x2) / 2) * zoom, y: height / 2 - ((y1 + y2) / 2) * zoom };
      full();
    };
    const centreOn = (i, zoom) => {
      const [width, height] = size();
      if (zoom) view.zoom = Math.min(MAX_ZOOM, Math.max(view.zoom, zoom));
      view.pan = { x: width / 2 - nodes[i].x * view.zoom, y: height / 2 - nodes[i].y * view.zoom };
      full();
    };
    const choose = (i) => {
      state.chosen = i === null || i === undefined || i < 0 ? null : i;
      near = null;
      if (state.chosen !== null) {
        near = new Set([state.chosen]);
        for (const t of model.incident[state.chosen]) {
          near.add(model.ties[t].a);
          near.add(model.ties[t].b);
        }
        const node = nodes[state.chosen];
        showCard(container, { data: () => node }, model.incident[state.chosen].length, text);
      }
      full();
    };
    const moveNode = (i, x, y) => {
      nodes[i].x = x;
      nodes[i].y = y;
      state.moved.add(nodes[i].id);
    };

    // --- pointer: drag a shape, drag the map, wheel and pinch to zoom, hover and tap to choose
    const pointers = new Map();
    let drag = null;
    const local = (event) => {
      const box = container.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    };
    const onDown = (event) => {
      const p = local(event);
      pointers.set(event.pointerId, p);
      container.setPointerCapture?.(event.pointerId);
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        drag = { pinch: Math.hypot(a.x - b.x, a.y - b.y), zoom: view.zoom };
        return;
      }
      const i = nodeAt(p.x, p.y);
      drag = { node: i >= 0 && !options.readOnly ? i : -1, hit: i, from: p, last: p, travelled: 0 };
    };
    const onMove = (event) => {
      const p = local(event);
      if (!pointers.has(event.pointerId)) {
        if (event.pointerType === "mouse") {
          const i = nodeAt(p.x, p.y);
          if (i >= 0 && i !== state.chosen) choose(i);
        }
        return;
      }
      pointers.set(event.pointerId, p);
      if (!drag) return;
      if (drag.pinch !== undefined && pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        zoomAt((drag.zoom * Math.hypot(a.x - b.x, a.y - b.y)) / Math.max(drag.pinch, 1), { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
        return;
      }
      drag.travelled += Math.hypot(p.x - drag.last.x, p.y - drag.last.y);
      if (drag.node >= 0) {
        moveNode(drag.node, (p.x - view.pan.x) / view.zoom, (p.y - view.pan.y) / view.zoom);
        full();
      } else {
        panBy(p.x - drag.last.x, p.y - drag.last.y);
      }
      drag.last = p;
    };
    const onUp = (event) => {
      pointers.delete(event.pointerId);
      if (!drag || drag.pinch !== undefined) {
        if (!pointers.size) drag = null;
        return;
      }
      if (drag.travelled < 4) {
        choose(drag.hit >= 0 ? drag.hit : null);
        if (drag.node >= 0) state.moved.delete(nodes[drag.node].id);
      } else if (drag.node >= 0) {
        index();
        full();
        options.onMove && options.onMove(state.moved.size);
      }
      drag = null;
    };
    const onWheel = (event) => {
      event.preventDefault();
      zoomAt(view.zoom * Math.pow(1.0015, -event.deltaY), local(event));
    };
    container.addEventListener("pointerdown", onDown);
    container.addEventListener("pointermove", onMove);
    container.addEventListener("pointerup", onUp);
    container.addEventListener("pointercancel", onUp);
    container.addEventListener("wheel", onWheel, { passive: false });
    container.style.touchAction = "none";

    // --- keyboard: the same keys as the smaller map
    const order = nodes.map((_, i) => i).sort((a, b) => nodes[a].label.localeCompare(nodes[b].label));
    const keyboard = (event) => {
      if (event.target !== container || !order.length) return;
      const arrows = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
      if (event.key === "Escape") {
        choose(null);
        return;
      }
      if (event.key === "+" || event.key === "-") {
        zoomAt(view.zoom * (event.key === "+" ? 1.25 : 0.8));
        return;
      }
      if (!(event.key in arrows)) return;
      event.preventDefault();
      const [dx, dy] = arrows[event.key];
      if (event.shiftKey && state.chosen !== null && !options.readOnly) {
        const step = 12 / view.zoom;
        const node = nodes[state.chosen];
        moveNode(state.chosen, node.x + dx * step, node.y + dy * step);
        index();
        full();
        options.onMove && options.onMove(state.moved.size);
        return;
      }
      const at = state.chosen === null ? -1 : order.indexOf(state.chosen);
      const next = order[(at + (dx + dy > 0 ? 1 : -1) + order.length) % order.length];
      choose(next);
      centreOn(next);
    };
    container.addEventListener("keydown", keyboard);
    const onResize = () => full();
    window.addEventListener("resize", onResize);

    const result = {
      cy: null,
      renderer: "canvas",
      data,
      model,
      encode,
      text,
      container,
      state,
      choose: (i) => choose(i),
      chooseId: (id) => {
        const i = model.index.get(id);
        if (i === undefined) return false;
        choose(i);
        return true;
      },
      chosenId: () => (state.chosen === null ? null : nodes[state.chosen].id),
      findName: (wanted) => {
        const w = wanted.toLowerCase();
        let i = nodes.findIndex((n) => n.label.toLowerCase() === w);
        if (i < 0) i = nodes.findIndex((n) => n.label.toLowerCase().includes(w));
        if (i < 0) return null;
        choose(i);
        centreOn(i, 1.2);
        return nodes[i].id;
      },
      names: () => nodes.map((n) => n.label),
      fit,
      panBy,
      zoom: () => view.zoom,
      pan: () => ({ ...view.pan }),
      zoomAt,
      labelled: () => shownLabels.map((i) => nodes[i].id),
      positions: () => {
        const out = {};
        for (const id of state.moved) {
          const i = model.index.get(id);
          if (i !== undefined) out[id] = [Math.round(nodes[i].x * 10) / 10, Math.round(nodes[i].y * 10) / 10];
        }
        return out;
      },
      allPositions: () => Object.fromEntries(nodes.map((n) => [n.id, [Math.round(n.x * 10) / 10, Math.round(n.y * 10) / 10]])),
      place: (fresh) => {
        for (const node of fresh) {
          const i = model.index.get(node.id);
          if (i === undefined) continue;
          nodes[i].x = node.x;
          nodes[i].y = node.y;
        }
        index();
        full();
      },
      screenPosition: (id) => {
        const i = model.index.get(id);
        return i === undefined ? null : { x: nodes[i].x * view.zoom + view.pan.x, y: nodes[i].y * view.zoom + view.pan.y };
      },
      exportAs: (kind) => exportView(result, kind),
      destroy: () => {
        container.removeEventListener("keydown", keyboard);
        container.removeEventListener("pointerdown", onDown);
        container.removeEventListener("pointermove", onMove);
        container.removeEventListener("pointerup", onUp);
        container.removeEventListener("pointercancel", onUp);
        container.removeEventListener("wheel", onWheel);
        window.removeEventListener("resize", onResize);
        clearTimeout(settleTimer);
        const ctx = canvas.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
      },
    };
    container.dataset.renderer = "canvas";
    legendHtml(options.legend, result);
    fit();
    // Marked after the first frame is painted, so a benchmark measures the picture.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const now = performance.now();
        container.dataset.drawnMs = String(Math.round(now - started));
        const arrived = Number(container.dataset.arrivedAt || started);
        container.dataset.sinceDataMs = String(Math.round(now - arrived));
        container.classList.add("map-drawn");
      }),
    );
    return result;
  }

  // --- the page -----------------------------------------------------------------------------------

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function wireSearch(view) {
    const input = document.getElementById("map-search");
    const list = document.getElementById("map-search-names");
    if (!input || !list) return;
    const fragment = document.createDocumentFragment();
    for (const label of new Set(view.names())) {
      const option = document.createElement("option");
      option.value = label;
      fragment.appendChild(option);
    }
    list.appendChild(fragment);
    const find = () => {
      const wanted = input.value.trim();
      if (!wanted) {
        view.choose(null);
        return;
      }
      view.findName(wanted);
    };
    input.addEventListener("change", find);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        find();
      }
    });
  }

  function wirePage(view, container) {
    const status = document.getElementById("map-status");
    const say = (message) => {
      if (status) status.textContent = message;
    };
    const { text } = view;
    document.querySelector("[data-map-fit]")?.addEventListener("click", () => view.fit());
    document.querySelectorAll("[data-map-export]").forEach((button) => {
      button.addEventListener("click", () => view.exportAs(button.dataset.mapExport));
    });
    const keep = () =>
      fetch(container.dataset.pinsUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ positions: view.positions() }),
      }).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        say(text.kept);
      });
    document.querySelector("[data-map-keep]")?.addEventListener("click", () => keep().catch(() => say(container.dataset.errorLabel)));
    document.querySelector("[data-map-rerun]")?.addEventListener("click", () => {
      keep()
        .then(() => fetch(container.dataset.mapUrl + "&rerun=true", { credentials: "same-origin" }))
        .then((response) => response.json())
        .then((fresh) => view.place(fresh.nodes))
        .catch(() => say(container.dataset.errorLabel));
    });
    // Saving a view takes the positions as they are now, if anything was moved.
    document.querySelectorAll("[data-map-save]").forEach((form) => {
      form.addEventListener("submit", () => {
        const moved = view.state.moved.size > 0;
        form.elements.positions.value = moved ? JSON.stringify(view.allPositions()) : "";
      });
    });
    // Focusing (or hovering) a name in the tables below shows it on the map with its card.
    const fromTable = (event) => {
      const target = event.target instanceof Element ? event.target.closest("[data-map-node]") : null;
      if (!target) return;
      view.chooseId(target.dataset.mapNode);
    };
    document.addEventListener("focusin", fromTable);
    document.addEventListener("mouseover", fromTable);
    wireSearch(view);
  }

  const POLL_MS = 3000;

  function start() {
    const container = document.getElementById("network-map");
    const canvas = document.getElementById("map-edges");
    if (!container || !canvas || typeof cytoscape === "undefined") return;
    if (container.closest(".map-empty")) return; // the page already says nobody matches
    const status = document.getElementById("map-status");
    const say = (message) => {
      if (status) status.replaceChildren(document.createTextNode(message));
    };
    const error = () => say(container.dataset.errorLabel);
    // While the background worker computes a big network's layout or measures, the page asks
    // again every few seconds and says how far it is (docs/map.md, "Large networks").
    const progress = (pending) =>
      say(labels().computing.replace("%(label)s", pending.label).replace("%(percent)s", `${pending.percent}\u00a0%`));
    let arrived = 0;
    const load = () =>
      fetch(container.dataset.mapUrl, { credentials: "same-origin" }).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        arrived = performance.now();
        return response.json();
      });
    const later = (then) => setTimeout(() => load().then(then).catch(error), POLL_MS);
    const untilReady = (fresh) => {
      if (fresh.pending) {
        progress(fresh.pending);
        later(untilReady);
        return;
      }
      // Not redrawn under the user's hands: they choose when (a reload keeps their filters).
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 ms-1 align-baseline";
      button.textContent = labels().show;
      button.addEventListener("click", () => window.location.reload());
      say(labels().ready + " ");
      status.appendChild(button);
    };
    const show = (data) => {
      if (data.pending && data.pending.layout) {
        progress(data.pending); // nothing to draw yet
        later(show);
        return;
      }
      container.dataset.arrivedAt = String(arrived);
      const view = draw(container, canvas, data, {
        legend: document.getElementById("map-legend"),
        onMove: (count) => say(labels().moved.replace("%s", count)),
      });
      wirePage(view, container);
      window.suhdeMap = view.cy;
      window.suhdeMapView = view; // both renderers: fit, panBy, zoomAt, chooseId, …
      window.suhdeMapTies = view.model.ties.length;
      if (data.pending) {
        progress(data.pending);
        later(untilReady);
      }
    };
    // Same request as the page's <link rel="preload">, so the data arrive while scripts load.
    load().then(show).catch(error);
  }

  window.SuhdeMap = { draw, exportView, toPng, download };
  if (document.getElementById("network-map")) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})();
