// Meetings and live sessions: small enhancements only; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Live pages receive changes by Server-Sent Events. Each event carries the part that changed
// (the board, the phone's question, or a signal for the facilitator) and its version; on
// reconnecting the page sends the version it has and gets what changed since (a phone whose
// screen was locked). When the stream cannot be opened twice in a row, the page polls instead
// and keeps trying the stream with a growing, jittered pause, so a restarted server is not met
// by every phone at the same moment.
(() => {
  const root = document.querySelector("[data-live-stream]");
  if (!root) return;
  const audience = root.dataset.liveAudience;
  const POLL_MS = { board: 1500, phone: 5000, control: 5000 }[audience];
  let have = root.dataset.liveHave || "";
  let source = null;
  let failures = 0;
  let pollTimer = null;
  let retryTimer = null;
  let pendingControl = false;
  let done = false;

  const fromHtml = (html) => {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  };
  const randomKey = () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  // The phone's part is rendered once for everyone: this page adds its own CSRF token and a
  // fresh key per form (the key makes a repeated send store the post once).
  const personalise = (element) => {
    element.querySelectorAll("form[method=post]").forEach((form) => {
      if (!form.querySelector("[name=csrfmiddlewaretoken]")) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        input.value = root.dataset.csrf || "";
        form.prepend(input);
      }
      const key = form.querySelector("[name=key]");
      if (key && !key.value) key.value = randomKey();
    });
    // A Q&A's list is the same for every phone too: this page knows which questions are its
    // own (no upvote button) and which it has upvoted (the button pressed; sending takes it back).
    const ids = (name) => new Set((root.dataset[name] || "").split(" ").filter(Boolean));
    const own = ids("own");
    const upvoted = ids("upvoted");
    element.querySelectorAll("form.qa-upvote").forEach((form) => {
      const post = form.querySelector("[name=post]").value;
      if (own.has(post)) {
        form.remove();
        return;
      }
      const on = upvoted.has(post);
      form.querySelector("[name=up]").value = on ? "0" : "1";
      form.querySelector("button").setAttribute("aria-pressed", on ? "true" : "false");
    });
  };

  const applyBoard = (data) => {
    const board = document.getElementById("board");
    const next = fromHtml(data.html);
    personalise(next);
    if (board) board.replaceWith(next);
  };
  // The presenter moves between questions from the keyboard (a clicker sends Page Up/Down).
  // The form is sent in the background: the projector keeps its page, and the push brings the
  // new question.
  const sendNav = async (form) => {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form) });
    if (!response.ok) window.location.reload();
  };
  if (audience === "board") {
    document.addEventListener("submit", (event) => {
      const form = event.target.closest("[data-live-key]");
      if (!form) return;
      event.preventDefault();
      sendNav(form);
    });
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
      const which = { ArrowRight: "next", PageDown: "next", ArrowLeft: "previous", PageUp: "previous" }[event.key];
      const form = which && document.querySelector(`[data-live-key=${which}]`);
      if (!form) return;
      event.preventDefault();
      sendNav(form);
    });
  }
  const applyPhone = (data) => {
    const stage = document.getElementById("live-stage");
    const next = fromHtml(data.html);
    if (!stage || !next) return;
    if (stage.dataset.stage === String(data.stage)) {
      // Same question, new results: leave what the participant is typing alone.
      const results = document.getElementById("participant-results");
      const fresh = next.querySelector("#participant-results");
      if (results && fresh) {
        personalise(fresh);
        results.replaceWith(fresh);
        return;
      }
    }
    personalise(next);
    stage.replaceWith(next);
    const status = document.getElementById("live-status");
    if (status && !data.ended) status.textContent = root.dataset.liveNew || "";
  };
  const refreshControl = async () => {
    const control = document.getElementById("control");
    if (!control) return;
    if (control.contains(document.activeElement) && document.activeElement !== document.body) {
      pendingControl = true; // never pull the list from under the facilitator's hands
      return;
    }
    pendingControl = false;
    const response = await fetch(root.dataset.livePoll, { headers: { "HX-Request": "true" } });
    if (response.ok) control.replaceWith(fromHtml(await response.text()));
  };
  document.addEventListener("focusout", () => {
    if (pendingControl) setTimeout(refreshControl, 0);
  });
  const apply = (data) => {
    have = data.v;
    if (audience === "board") applyBoard(data);
    else if (audience === "phone") applyPhone(data);
    else refreshControl();
  };

  const poll = async () => {
    try {
      if (audience === "board") {
        const board = document.getElementById("board");
        const url = `${root.dataset.livePoll}?v=${encodeURIComponent(board ? board.dataset.version : "")}`;
        const response = await fetch(url, { headers: { "HX-Request": "true" } });
        if (response.status === 200) applyBoard({ html: await response.text() });
      } else if (audience === "phone") {
        const stage = document.getElementById("live-stage");
        const url = `${root.dataset.livePoll}?stage=${stage ? stage.dataset.stage : ""}`;
        const response = await fetch(url);
        if (response.status === 200) window.location.reload();
      } else {
        await refreshControl();
      }
    } catch (error) {
      // Offline for a moment: the next round tries again.
    }
  };
  const startPolling = () => {
    if (!pollTimer) pollTimer = setInterval(poll, POLL_MS);
    root.dataset.liveMode = "poll";
  };
  const stopPolling = () => {
    clearInterval(pollTimer);
    pollTimer = null;
  };

  const schedule = () => {
    clearTimeout(retryTimer);
    const base = Math.min(30000, 1000 * 2 ** Math.min(failures, 5));
    retryTimer = setTimeout(connect, base / 2 + Math.random() * base);
  };
  function connect() {
    if (done || source) return;
    if (!("EventSource" in window)) {
      startPolling();
      return;
    }
    const stream = root.dataset.liveStream;
    const url = `${stream}${stream.includes("?") ? "&" : "?"}v=${encodeURIComponent(have)}`;
    let opened = false;
    source = new EventSource(url);
    // A proxy that buffers the stream lets nothing through: poll until the stream speaks.
    const silent = setTimeout(() => {
      if (!opened) startPolling();
    }, 10000);
    source.addEventListener("open", () => {
      opened = true;
      clearTimeout(silent);
      failures = 0;
      stopPolling();
      root.dataset.liveMode = "push";
    });
    source.addEventListener(audience, (event) => {
      const data = JSON.parse(event.data);
      apply(data);
      if (data.ended && audience === "phone") {
        done = true;
        source.close();
        source = null;
      }
    });
    source.addEventListener("error", () => {
      if (source) source.close();
      source = null;
      if (done) return;
      failures = opened ? 1 : failures + 1;
      if (failures >= 2) startPolling();
      schedule();
    });
  }
  // A phone's browser drops the stream while the screen is locked; on waking, catch up at once.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !source && !done) {
      clearTimeout(retryTimer);
      connect();
    }
  });
  window.addEventListener("pageshow", () => {
    if (!source && !done) connect();
  });
  const stage = document.getElementById("live-stage");
  if (stage) personalise(stage);
  connect();
})();
