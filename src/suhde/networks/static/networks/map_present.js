// The presentation: the network's saved views one after another, each drawn from its own map
// data with its saved positions, in one page so that full screen stays on between the steps.
(function () {
  "use strict";

  function start() {
    const root = document.getElementById("present");
    const source = document.getElementById("present-slides");
    if (!root || !source || !window.SuhdeMap) return;
    const slides = JSON.parse(source.textContent);
    const container = document.getElementById("present-map");
    const canvas = document.getElementById("present-edges");
    const status = document.getElementById("present-status");
    const cache = new Map();
    let current = -1;
    let view = null;

    const load = (i) => {
      if (!cache.has(i)) {
        cache.set(
          i,
          fetch(slides[i].url, { credentials: "same-origin" }).then((response) => {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          }),
        );
      }
      return cache.get(i);
    };

    const show = (i) => {
      if (i < 0 || i >= slides.length || i === current) return;
      current = i;
      const slide = slides[i];
      document.getElementById("present-title").textContent = slide.title;
      document.getElementById("present-note").textContent = slide.note;
      document.getElementById("present-link").href = slide.link;
      document.getElementById("present-step").textContent = root.dataset.stepLabel
        .replace("%(number)s", String(i + 1))
        .replace("%(total)s", String(slides.length));
      container.dataset.title = slide.title;
      container.classList.remove("map-drawn");
      root.dataset.current = String(i);
      load(i)
        .then((data) => {
          if (current !== i) return;
          if (view) view.destroy();
          view = window.SuhdeMap.draw(container, canvas, data, {
            readOnly: true,
            legend: document.getElementById("present-legend"),
          });
          window.suhdeMap = view.cy;
          window.suhdeMapView = view;
          status.textContent = "";
          if (i + 1 < slides.length) load(i + 1); // the next one is ready when it is asked for
        })
        .catch(() => {
          status.textContent = root.dataset.errorLabel;
        });
    };

    const fullscreen = () => {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (root.requestFullscreen) root.requestFullscreen().catch(() => {});
    };

    document.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLElement && event.target.closest("input, textarea, select")) return;
      const forward = ["ArrowRight", "ArrowDown", "PageDown", " "];
      const back = ["ArrowLeft", "ArrowUp", "PageUp"];
      if (forward.includes(event.key)) show(current + 1);
      else if (back.includes(event.key)) show(current - 1);
      else if (event.key === "Home") show(0);
      else if (event.key === "End") show(slides.length - 1);
      else if (event.key === "f" || event.key === "F") fullscreen();
      else if (event.key === "Escape" && !document.fullscreenElement) {
        window.location.href = root.querySelector("a.btn-link").href;
      } else return;
      event.preventDefault();
    });
    root.querySelector('[data-present="next"]').addEventListener("click", () => show(current + 1));
    root.querySelector('[data-present="previous"]').addEventListener("click", () => show(current - 1));
    root.querySelector('[data-present="fullscreen"]').addEventListener("click", fullscreen);
    root.querySelector('[data-present="png"]').addEventListener("click", () => view && view.exportAs("png"));
    window.addEventListener("resize", () => view && view.fit());
    show(0);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
