// The rings view: exports (SVG, and PNG at 300 dpi) with title, legend, date and source line,
// and, for whoever may place partners, dragging names and shapes onto the inner or outer ring.
// Every placement posts the same form as the buttons beside each name, so the keyboard and the
// mouse do one thing.
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";
  // The picture's own styles, carried into the file (the page's style sheet does not travel).
  const STYLE = `
    .slice-public { fill: #0072B2; fill-opacity: .10; stroke: #0072B2; }
    .slice-private { fill: #E69F00; fill-opacity: .12; stroke: #E69F00; }
    .slice-third { fill: #009E73; fill-opacity: .10; stroke: #009E73; }
    .ring { fill: none; stroke: #6c757d; stroke-width: 1; }
    .ring-weak { stroke-dasharray: 6 4; }
    .link { stroke: #343a40; }
    .link-strong { stroke-width: 2.5; }
    .link-weak { stroke-width: 1.2; stroke-dasharray: 5 4; }
    .node { stroke: #212529; stroke-width: 1; }
    .node-public { fill: #0072B2; } .node-private { fill: #E69F00; } .node-third { fill: #009E73; }
    .centre { fill: #fff; stroke: #212529; stroke-width: 2; }
    text { font-family: sans-serif; font-size: 12px; fill: #212529; }
    .slice-label { font-size: 15px; font-weight: 600; }
    .centre-label { font-size: 13px; font-weight: 600; }
    .head { font-size: 22px; font-weight: 700; } .small { font-size: 12px; fill: #495057; }`;

  function text() {
    const element = document.getElementById("rings-labels");
    return element ? JSON.parse(element.textContent) : {};
  }

  function exported(svg, labels) {
    const copy = svg.cloneNode(true);
    copy.removeAttribute("class");
    copy.setAttribute("viewBox", "-440 -480 880 990");
    copy.setAttribute("width", "880");
    copy.setAttribute("height", "990");
    const style = document.createElementNS(SVG_NS, "style");
    style.textContent = STYLE;
    copy.insertBefore(style, copy.firstChild);
    const background = document.createElementNS(SVG_NS, "rect");
    for (const [k, v] of Object.entries({ x: -440, y: -480, width: 880, height: 990, fill: "#ffffff" })) background.setAttribute(k, v);
    copy.insertBefore(background, style.nextSibling);
    const line = (y, value, cls) => {
      const element = document.createElementNS(SVG_NS, "text");
      element.setAttribute("x", "-425");
      element.setAttribute("y", String(y));
      element.setAttribute("class", cls);
      element.textContent = value;
      copy.appendChild(element);
    };
    line(-445, svg.querySelector("title").textContent, "head");
    line(440, labels.legend + ": " + labels.rings, "small");
    line(458, labels.sectors, "small");
    const today = new Date().toLocaleDateString(document.documentElement.lang || undefined);
    line(490, labels.source.replace("%(date)s", today), "small");
    return { text: new XMLSerializer().serializeToString(copy), width: 880, height: 990 };
  }

  function wireExport(svg) {
    const labels = text();
    document.querySelectorAll("[data-rings-export]").forEach((button) => {
      button.addEventListener("click", () => {
        const picture = exported(svg, labels);
        const name = svg.dataset.fileName || "rings";
        if (button.dataset.ringsExport === "svg") {
          window.SuhdeMap.download(`${name}.svg`, new Blob([picture.text], { type: "image/svg+xml" }));
        } else {
          window.SuhdeMap.toPng(picture).then((bytes) => window.SuhdeMap.download(`${name}.png`, new Blob([bytes], { type: "image/png" })));
        }
      });
    });
  }

  // The ring a point of the picture falls on: inside the middle of the two rings is strong.
  function ringAt(svg, clientX, clientY) {
    const point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    const local = point.matrixTransform(svg.getScreenCTM().inverse());
    const radius = Math.hypot(local.x, local.y);
    const strong = Number(svg.dataset.strongRadius);
    const weak = Number(svg.dataset.weakRadius);
    if (radius > Number(svg.dataset.outer) + 20 || radius < 30) return null;
    return radius < (strong + weak) / 2 ? "strong" : "weak";
  }

  function place(partner, strength) {
    const form = document.querySelector(`[data-place-form="${partner}"]`);
    const button = form && form.querySelector(`button[value="${strength}"]`);
    if (!button || button.disabled) return false;
    form.requestSubmit(button);
    return true;
  }

  function wireDragging(svg) {
    // Names from the list, dragged onto the picture.
    document.querySelectorAll("tr[data-partner]").forEach((row) => {
      row.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", row.dataset.partner);
        event.dataTransfer.effectAllowed = "move";
      });
    });
    svg.addEventListener("dragover", (event) => {
      event.preventDefault();
      svg.classList.add("rings-over");
    });
    svg.addEventListener("dragleave", () => svg.classList.remove("rings-over"));
    svg.addEventListener("drop", (event) => {
      event.preventDefault();
      svg.classList.remove("rings-over");
      const ring = ringAt(svg, event.clientX, event.clientY);
      const partner = event.dataTransfer.getData("text/plain");
      if (ring && /^\d+$/.test(partner)) place(partner, ring);
    });
    // Shapes already on the rings, dragged from one ring to the other.
    svg.querySelectorAll("g[data-partner]").forEach((group) => {
      group.addEventListener("pointerdown", (event) => {
        event.preventDefault();
        group.setPointerCapture(event.pointerId);
        const start = { x: event.clientX, y: event.clientY };
        const scale = svg.getScreenCTM().a || 1;
        const move = (e) => group.setAttribute("transform", `translate(${(e.clientX - start.x) / scale} ${(e.clientY - start.y) / scale})`);
        const up = (e) => {
          group.removeEventListener("pointermove", move);
          group.removeEventListener("pointerup", up);
          const ring = ringAt(svg, e.clientX, e.clientY);
          if (!ring || !place(group.dataset.partner, ring)) group.removeAttribute("transform");
        };
        group.addEventListener("pointermove", move);
        group.addEventListener("pointerup", up);
      });
    });
  }

  function start() {
    const svg = document.getElementById("rings");
    if (!svg || !window.SuhdeMap) return;
    wireExport(svg);
    if (svg.classList.contains("rings-placing")) wireDragging(svg);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
