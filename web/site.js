// Starts the app and keeps the page's own words in step with it: the loading cover
// until the app reports, a status line, and an error area for failures the canvas
// cannot show (no WebGL2, app.js or app.wasm missing, a crash).
"use strict";
(function () {
  const canvas = document.getElementById("canvas");
  const loading = document.getElementById("loading");
  const errorArea = document.getElementById("error");
  const status = document.getElementById("status");
  // ?study=URL picks another packed study; the canvas names the default.
  const study = new URLSearchParams(location.search).get("study") || canvas.dataset.study;

  function fatal(message) {
    loading.hidden = true;
    errorArea.hidden = false;
    errorArea.textContent = message;
    status.textContent = "Error: " + message;
    status.classList.add("failed");
    window.headroom = Object.assign({}, window.headroom, { ready: false, status: "failed", error: message });
  }

  // The app publishes window.headroom and this event after each change it has drawn.
  window.addEventListener("headroom", (event) => {
    const state = event.detail;
    loading.hidden = true;
    if (state.ready) {
      if (!window.headroomTiming) window.headroomTiming = { ready_ms: performance.now() };
      status.classList.remove("failed");
      const name = state.name === "naive" || state.name === "corrected" ? state.name : "custom";
      status.textContent = `Study '${state.report.study}' · ${name} protocol (${state.protocol}) · ` +
        `computed in your browser in ${state.compute_ms.toFixed(1)} ms` +
        (state.protocol_error ? ` · refused: ${state.protocol_error}` : "");
    } else if (state.error) {
      // The canvas shows this error too; the status line keeps it readable as text.
      status.classList.add("failed");
      status.textContent = "Error: " + state.error;
    }
  });

  if (!document.createElement("canvas").getContext("webgl2")) {
    fatal("This browser does not offer WebGL2, which the app needs to draw. " +
          "Try a current Firefox, Chrome, Edge or Safari.");
    return;
  }

  status.textContent = "Loading the app and the study " + study + " …";
  // Emscripten's generated app.js reads this object when it starts.
  window.Module = {
    canvas: canvas,
    arguments: [study],
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onAbort: (what) => fatal(/fetching of the wasm failed/.test(String(what))
      ? "Could not download the app's WebAssembly module (app.wasm) from the server. Was the site built (ci/demo)?"
      : "The app stopped unexpectedly (" + what + "). Reloading the page may help."),
  };
  canvas.addEventListener("contextmenu", (event) => event.preventDefault());

  const script = document.createElement("script");
  script.src = "app.js";
  script.onerror = () => fatal("Could not load app.js from the server. Was the site built (ci/demo)?");
  document.body.appendChild(script);
})();
