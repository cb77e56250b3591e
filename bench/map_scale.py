"""The map at scale in Chromium: frames per second while panning and zooming 5,000 people, and
the time from the data's arrival to the drawn picture at 20,000 people (issue 18, point 7).

Builds a throwaway SQLite database with both networks (``bench/map.py``'s generator), computes
and caches their layouts through the API once (the server's work, not the browser's), then opens
each map page in Debian Chromium with Playwright:

- **fps at 5,000**: for three seconds every animation frame pans and zooms the map a little
  (Cytoscape redraws the people, the page repaints the ties); the frames counted over the
  seconds elapsed are the frames per second a person dragging the map would see;
- **draw at 20,000**: from the map data's arrival (the response's headers; parsing included) to
  the first painted frame with every node, the page's own ``data-since-data-ms`` mark.

Results replace the "### Map at scale" part of the "## Network map and import" section of
docs/benchmarks.md, with the machine's load before and after.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from map import (  # bench/ is not a package: found through sys.path above
    CHROMIUM,
    FLAGS,
    PASSWORD,
    ROOT,
    _free_port,
    _setup_django,
    fill,
    write_part,
)

PART = "### Map at scale"
SIZES = {"five": (5_000, 15_000, 200), "twenty": (20_000, 60_000, 800)}
REPEAT = 3
FPS_SECONDS = 3.0

FPS_SCRIPT = """async (seconds) => {
  const cy = window.suhdeMap;
  const start = performance.now();
  let frames = 0;
  await new Promise((done) => {
    const step = (now) => {
      frames += 1;
      const t = (now - start) / 1000;
      cy.panBy({ x: Math.sin(t * 3) * 6, y: Math.cos(t * 2) * 4 });
      cy.zoom({ level: cy.zoom() * (1 + Math.sin(t * 2) * 0.01),
                renderedPosition: { x: 400, y: 300 } });
      if (now - start < seconds * 1000) requestAnimationFrame(step); else done();
    };
    requestAnimationFrame(step);
  });
  return frames / ((performance.now() - start) / 1000);
}"""


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _fill_both():
    users = {}
    for slug, (people, ties, orgs) in SIZES.items():
        users[slug] = fill(slug=slug, people=people, ties=ties, orgs=orgs)
    return users


def _warm(users) -> dict[str, float]:
    """Compute and cache each network's layout and measures once; return the cold seconds."""
    from django.test import Client

    cold = {}
    for slug, user in users.items():
        client = Client()
        client.force_login(user)
        start = time.perf_counter()
        assert client.get(f"/api/v1/networks/{slug}/map").status_code == 200
        cold[slug] = time.perf_counter() - start
    return cold


def _browser(users) -> dict:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/suhde"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--insecure",
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    result = {"fps": [], "draw": [], "webgl": None}
    try:
        for _ in range(50):
            try:
                __import__("socket").create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for slug in SIZES:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.on("pageerror", lambda error: print("page error:", error, flush=True))
                page.goto(f"{base}/login/")
                page.fill("#id_username", users[slug].username)
                page.fill("#id_password", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
                # The first load through this server may compute the layout: not measured.
                page.goto(f"{base}/n/{slug}/map/", timeout=300_000)
                page.wait_for_selector("#network-map.map-drawn", timeout=300_000)
                for _ in range(REPEAT):
                    page.goto(f"{base}/n/{slug}/map/", timeout=300_000)
                    page.wait_for_selector("#network-map.map-drawn", timeout=300_000)
                    if slug == "five":
                        result["fps"].append(page.evaluate(FPS_SCRIPT, FPS_SECONDS))
                        result["webgl"] = page.evaluate(
                            "() => Boolean(window.suhdeMap.renderer().webgl)"
                        )
                    else:
                        since = page.get_attribute("#network-map", "data-since-data-ms")
                        result["draw"].append(float(since))
                page.close()
            browser.close()
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)


def _report(result, cold, before, after) -> str:
    fps, draw = result["fps"], result["draw"]
    renderer = "WebGL" if result["webgl"] else "canvas, as the page chooses without a graphics card"
    return "\n".join(
        [
            PART,
            "",
            "Measured with `python bench/map_scale.py` (also run by `make bench`) in Debian "
            f"Chromium, headless, `--disable-gpu`, 1280 × 900, on {os.cpu_count()} cores. "
            "The machine was shared with other work while it ran; `uptime` before: "
            f"`{before}`; after: `{after}`.",
            "",
            "| network | measure | result | target |",
            "|---|---|---:|---:|",
            f"| 5,000 people, 15,000 ties | frames per second panning and zooming "
            f"(median of {len(fps)} runs of {FPS_SECONDS:.0f} s; renderer: {renderer}) "
            f"| {statistics.median(fps):.0f} fps (lowest {min(fps):.0f}) | smooth (≥ 30) |",
            f"| 20,000 people, 60,000 ties | data arrived → picture drawn, layout from the "
            f"server (median of {len(draw)}) | {statistics.median(draw):.0f} ms "
            f"(slowest {max(draw):.0f}) | ≤ 3,000 ms |",
            "",
            "The layouts are the server's (igraph), computed once and cached: the first map "
            f"request took {cold['five']:.1f} s at 5,000 people and {cold['twenty']:.1f} s at "
            "20,000 (layout, betweenness, communities and brokerage), every later one reads "
            "the cache row.",
            "",
        ]
    )


def main() -> int:
    before = _uptime()
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        users = _fill_both()
        cold = _warm(users)
        result = _browser(users) if Path(CHROMIUM).exists() else None
    after = _uptime()
    if result is None:
        print("Chromium is not installed; nothing measured.")
        return 1
    part = _report(result, cold, before, after)
    print(part)
    write_part(PART, part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
