// Starts the app and keeps the page's own words in step with it: the loading cover
// until the app reports, a status line, and an error area for failures the canvas
// cannot show (no WebGL2, app.js or app.wasm missing, a crash).
"use strict";
(function () {
  const canvas = document.getElementById("canvas");
  const loading = document.getElementById("loading");
  const errorArea = document.getElementById("error");
  const status = document.getElementById("status");
  // The address names the view: ?study=URL (default: the canvas's), &protocol=..., &tab=...,
  // &query=ID, &router=ROUTER:FEATURES:TRAIN:POLICY (the Routers tab). The app keeps it up to
  // date as the reader changes the view.
  const params = new URLSearchParams(location.search);
  const study = params.get("study") || canvas.dataset.study;
  const view = ["protocol", "tab", "query", "router"].map((key) => params.get(key) || "");

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
        `report computed in your browser in ${state.compute_ms.toFixed(1)} ms` +
        (state.working ? " · intervals and decomposition still computing" : "") +
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
  // The study downloads while app.wasm does; the app takes this download when it starts
  // (page_bridge.cpp) instead of beginning its own. It never rejects: a failure is a status.
  window.headroomStudyPrefetch = {
    url: study,
    response: fetch(study).then(
      (r) => (r.ok ? r.arrayBuffer().then((buffer) => ({ status: r.status, buffer }))
                   : { status: r.status, buffer: null }),
      () => ({ status: 0, buffer: null })),
  };
  // Emscripten's generated app.js reads this object when it starts.
  window.Module = {
    canvas: canvas,
    arguments: [study, ...view],
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onAbort: (what) => fatal(/fetching of the wasm failed/.test(String(what))
      ? "Could not download the app's WebAssembly module (app.wasm) from the server. Was the site built (ci/demo)?"
      : "The app stopped unexpectedly (" + what + "). Reloading the page may help."),
  };
  canvas.addEventListener("contextmenu", (event) => event.preventDefault());

  // Keys go to the app only while its canvas has the focus (a click or Tab gives it).
  // Emscripten's GLFW listens on the whole window and swallows Tab, so otherwise Tab
  // could never reach the page's links, and keys meant for the page would drive the
  // app too. Tab always goes to the browser, so the canvas is never a keyboard trap;
  // the keys the app navigates with do not also scroll the page. Registered before
  // app.js runs, these capturing listeners see each key before GLFW's. Space is held
  // back on its keypress, not its keydown: a keydown's default prevented sends no
  // keypress, and GLFW types characters (into the query search) from keypresses. A
  // key's release reaches the app only if its press did, so a modifier pressed in the
  // app and released on the page does not stay down there.
  canvas.tabIndex = 0;
  const scrollKeys = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "PageUp", "PageDown", "Home", "End"]);
  const downInApp = new Set();
  for (const type of ["keydown", "keypress", "keyup"]) {
    window.addEventListener(type, (event) => {
      if (type === "keyup") {
        if (!downInApp.delete(event.code)) event.stopImmediatePropagation();
      } else if (document.activeElement !== canvas || event.key === "Tab") {
        event.stopImmediatePropagation();
      } else {
        if (type === "keydown") downInApp.add(event.code);
        if (type === "keydown" ? scrollKeys.has(event.key) : event.key === " ") event.preventDefault();
      }
    }, true);
  }

  // Your own study: dropped anywhere on the page, or picked with the file button. The
  // bytes go into the module's memory and the app unpacks them as it would a download.
  function loadFile(file) {
    if (!file || !window.Module || !Module._malloc) return;
    status.textContent = "Reading " + file.name + " …";
    file.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      const pointer = Module._malloc(Math.max(bytes.length, 1));
      Module.HEAPU8.set(bytes, pointer);
      Module.headroomStudyBytes = bytes;  // the router trainer keeps these rather than copying them again
      Module.ccall("headroom_load_bytes", null, ["number", "number", "string"], [pointer, bytes.length, file.name]);
      Module.headroomStudyBytes = null;
    });
  }
  const picker = document.getElementById("study-file");
  if (picker) picker.addEventListener("change", () => loadFile(picker.files[0]));
  document.addEventListener("dragover", (event) => {
    event.preventDefault();
    document.body.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    document.body.classList.remove("dragging");
    loadFile(event.dataTransfer && event.dataTransfer.files[0]);
  });

  const script = document.createElement("script");
  script.src = "app.js";
  script.onerror = () => fatal("Could not load app.js from the server. Was the site built (ci/demo)?");
  document.body.appendChild(script);
})();
