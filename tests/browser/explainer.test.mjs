// The explainer end to end in headless Chromium: every shipped study loads (time to
// interactive and memory measured), the study picker switches study, a protocol toggle
// on the large study recomputes (timed) and equals the CLI, the decomposition equals
// `headroom decompose` on every shipped study, the inspector opens a query, a study directory dropped as a zip
// or tar.gz loads, a malformed dropped file shows an error in words, a copied link restores the view, exports download,
// the keyboard alone changes the protocol and makes and reveals a guess, and frame times
// idle and while hovering a chart are measured. Screenshots of each step land in
// HEADROOM_SHOTS (default build/browser-shots).
//
// Needs the site (ci/demo --build-only) and the native CLI (ci/build native); see
// harness.mjs for the environment variables that point at other build directories.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  clickTarget, launchBrowser, openPage, requireBuilds, runCli, shots, site, startServer, waitForState,
} from "./harness.mjs";

const studies = {
  skeleton: "precomputed/skeleton/study.pack",
  "p1-routing": "precomputed/p1-routing/study.pack",
  "p2-artifacts": "precomputed/p2-artifacts/study.pack",
};
let server, baseUrl, browser;

const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });
const ready = (page) => waitForState(page, () => window.headroom && window.headroom.ready);
const settled = (page) => waitForState(page, () => window.headroom && window.headroom.ready && !window.headroom.working);

function cliReport(file, protocol) {
  const args = ["report", join(site, file), "--json"];
  if (protocol) args.push("--protocol", protocol);
  return JSON.parse(runCli(args));
}

function expectedFor(report, name) {
  return { ...report, protocols: report.protocols.filter((p) => p.name === name) };
}

// Animation-frame intervals (ms) over `ms` milliseconds, median and 95th percentile, and
// how many frames the app drew meanwhile (it skips frames that cannot differ, idle.h).
async function frameTimes(page, ms, during) {
  const sampling = page.evaluate((duration) => new Promise((done) => {
    const times = [];
    const drawnBefore = Module.drawnFrames || 0;
    let last = performance.now();
    const start = last;
    function tick(now) {
      times.push(now - last);
      last = now;
      if (now - start < duration) requestAnimationFrame(tick);
      else {
        const drawn = (Module.drawnFrames || 0) - drawnBefore;
        // The main thread's time for each frame drawn meanwhile (main.cpp keeps the last 600).
        done({ times, drawn, drawMs: drawn > 0 ? (Module.drawMs || []).slice(-drawn) : [] });
      }
    }
    requestAnimationFrame(tick);
  }), ms);
  if (during) await during();
  const { times: raw, drawn, drawMs } = await sampling;
  const quantile = (values, q) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
  };
  const times = raw.slice(1);
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95), frames: times.length, drawn,
           drawMedian: quantile(drawMs, 0.5), drawP95: quantile(drawMs, 0.95) };
}

before(async () => {
  requireBuilds();
  ({ child: server, url: baseUrl } = await startServer());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test("transferred size of the default view (gzip)", async (t) => {
  let total = 0;
  const parts = [];
  for (const file of ["index.html", "site.js", "style.css", "app.js", "app.wasm", studies.skeleton]) {
    const response = await fetch(`${baseUrl}${file}`, { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(response.status, 200, file);
    const bytes = (await response.arrayBuffer()).byteLength;  // fetch leaves the body encoded
    const length = Number(response.headers.get("content-length"));
    total += length;
    parts.push(`${file} ${(length / 1e6).toFixed(2)} MB`);
    assert.ok(bytes > 0);
  }
  t.diagnostic(`gzip transfer: ${parts.join(", ")}; total ${(total / 1e6).toFixed(2)} MB (target <= 8 MB)`);
  assert.ok(total <= 8e6, `the default view transfers ${total} bytes`);
});

for (const [name, file] of Object.entries(studies)) {
  test(`${name} loads: time to interactive, memory, the CLI's naive report`, { timeout: 240_000 }, async (t) => {
    const { page, problems } = await openPage(browser, `${baseUrl}?study=${file}`);
    const state = await ready(page);
    const timing = await page.evaluate(() => ({
      ready: window.headroomTiming.ready_ms,
      wasm: Module.HEAPU8.length,
      js: performance.memory ? performance.memory.usedJSHeapSize : 0,
    }));
    t.diagnostic(`${name}: interactive ${timing.ready.toFixed(0)} ms after navigation (unpack+index+report ` +
                 `${state.load_ms.toFixed(0)} ms in the app); wasm memory ${(timing.wasm / 2 ** 20).toFixed(0)} MiB, ` +
                 `JS heap ${(timing.js / 2 ** 20).toFixed(0)} MiB`);
    await shot(page, `10-${name}-loaded`);
    assert.deepStrictEqual(state.report, expectedFor(cliReport(file), "naive"));
    assert.deepEqual(problems, []);
    await page.context().close();
  });
}

// The app builds the decomposition with the core's analysis_builder a slice at a time;
// on every shipped study it must print what the CLI prints with the same resamples
// (the noise null's simulations included, which the JSON states).
for (const name of ["p1-routing", "p2-artifacts"]) {
  test(`${name}: the decomposition equals 'headroom decompose --resamples 200'`, { timeout: 900_000 }, async (t) => {
    const file = studies[name];
    const { page, problems } = await openPage(browser, `${baseUrl}?study=${file}&tab=decomposition`);
    await ready(page);
    const started = Date.now();
    const done = await waitForState(page, () => window.headroom.decomposition !== null, undefined, 840_000);
    t.diagnostic(`${name}: decomposition built in the page in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const expected = JSON.parse(runCli(["decompose", join(site, file), "--json", "-", "--resamples", "200"]));
    assert.equal(expected.noise_simulations, 100);
    assert.deepStrictEqual(done.decomposition, expected);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
}

test("the picker switches study; a protocol toggle on p2-artifacts recomputes in time, equal to the CLI",
     { timeout: 300_000 }, async (t) => {
  const { page, problems } = await openPage(browser, baseUrl);
  await ready(page);
  await clickTarget(page, "study=p2-artifacts");
  const p2 = await waitForState(page, () => window.headroom.ready && window.headroom.report.study === "p2-artifacts");
  assert.equal(p2.study_url, studies["p2-artifacts"]);
  assert.match(await page.evaluate(() => location.search), /study=precomputed%2Fp2-artifacts/);
  const started = Date.now();
  const corrected = await clickTarget(page, "corrected");
  const wall = Date.now() - started;
  t.diagnostic(`p2-artifacts naive -> corrected: report computed in ${corrected.compute_ms.toFixed(1)} ms ` +
               `(target <= 100 ms); click to published frame ${wall} ms`);
  assert.equal(corrected.name, "corrected");
  assert.deepStrictEqual(corrected.report, expectedFor(cliReport(studies["p2-artifacts"]), "corrected"));
  const lenient = await clickTarget(page, "extractor=strict");
  assert.deepStrictEqual(lenient.report, expectedFor(cliReport(studies["p2-artifacts"], lenient.protocol), lenient.name));
  await shot(page, "11-p2-custom-protocol");
  assert.deepEqual(problems, []);
  await page.context().close();
});

// The slider and the button are clicked with no pause between them, as a quick reader
// would: both clicks must count even when they land in the same frame.
test("the guess, the decomposition (equal to the CLI's) and the claims", { timeout: 240_000 }, async (t) => {
  const { page, problems } = await openPage(browser, baseUrl);
  await ready(page);
  await page.waitForTimeout(300);
  await shot(page, "12-guess-first");
  const state = await page.evaluate(() => window.headroom);
  const slider = state.targets["guess-slider"];
  await page.mouse.click(slider.x + 40, slider.y);
  await page.mouse.click(state.targets.reveal.x, state.targets.reveal.y);
  await page.waitForTimeout(400);
  await settled(page);
  await shot(page, "13-headroom-revealed");

  await clickTarget(page, "tab=decomposition");
  await waitForState(page, () => window.headroom.tab === "decomposition");
  const done = await waitForState(page, () => window.headroom.decomposition !== null && !window.headroom.working);
  await page.waitForTimeout(200);
  await shot(page, "14-decomposition");
  const expected = JSON.parse(runCli(["decompose", join(site, studies.skeleton), "--json", "-", "--resamples", "200"]));
  assert.deepStrictEqual(done.decomposition, expected);
  t.diagnostic(`decomposition equals 'headroom decompose --resamples 200' (${expected.sections.length} sections)`);

  const claims = done.targets["tab=claims"];
  await page.mouse.click(claims.x, claims.y);
  await waitForState(page, () => window.headroom.tab === "claims");
  // The router claims train the logistic router three times in the background.
  await waitForState(page, () => !window.headroom.working);
  await page.waitForTimeout(300);
  await shot(page, "15-claims");
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("the inspector opens a query; a copied link restores the view", { timeout: 240_000 }, async () => {
  const { page, problems } = await openPage(browser, `${baseUrl}?study=${studies["p2-artifacts"]}`,
                                            { permissions: ["clipboard-read", "clipboard-write"] });
  await ready(page);
  await clickTarget(page, "corrected");
  await clickTarget(page, "tab=queries");
  await waitForState(page, () => window.headroom.targets["query-first"]);
  // Typed text reaches the search box whole, spaces included (site.js holds Space back
  // from the page only on its keypress, which still reaches the app).
  const search = (await page.evaluate(() => window.headroom)).targets["query-search"];
  await page.mouse.click(search.x, search.y);
  await waitForState(page, () => window.headroom.focused === "query-search");  // the box takes keys now
  await page.keyboard.type("the Baltic");
  assert.equal((await waitForState(page, () => window.headroom.query_search === "the Baltic")).query_search, "the Baltic");
  await shot(page, "16a-inspector-search");
  for (let i = 0; i < "the Baltic".length; ++i) await key(page, "Backspace");
  await waitForState(page, () => window.headroom.query_search === "");
  const opened = await clickTarget(page, "query-first");
  assert.notEqual(opened.query, "");
  // p2 is shipped without generation texts: the app rebuilds the query's with the simulator.
  const texts = await waitForState(page, () => window.headroom.query_texts && window.headroom.query_texts.source)
    .then((state) => state.query_texts);
  assert.deepEqual({ source: texts.source, error: texts.error }, { source: "simulator", error: "" });
  assert.ok(texts.texts >= 6 && texts.replies >= texts.texts, JSON.stringify(texts));
  await page.waitForTimeout(200);
  await shot(page, "16-inspector-p2");
  // A taller window shows the first models' rebuilt texts and the judges' replies.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.waitForTimeout(1500);
  await shot(page, "16b-inspector-p2-texts");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(500);

  const copy = opened.targets["copy-link"];
  await page.mouse.click(copy.x, copy.y);
  const link = await page.waitForFunction(() => window.headroomCopiedLink).then((h) => h.jsonValue());
  assert.match(link, /tab=queries/);
  assert.match(link, new RegExp(`query=${encodeURIComponent(opened.query)}`));

  const second = await openPage(browser, link);
  const restored = await ready(second.page);
  assert.equal(restored.protocol, opened.protocol);
  assert.equal(restored.tab, "queries");
  assert.equal(restored.query, opened.query);
  await second.page.waitForTimeout(300);
  await shot(second.page, "17-followed-link");
  assert.deepEqual(problems, []);
  assert.deepEqual(second.problems, []);
  await second.page.context().close();
  await page.context().close();
});

// The router the app trains is `headroom route`'s, to the last digit: the app's run holds
// every standard policy, the CLI's the one asked for (in both of P1's variants).
test("the routers tab trains a router in the browser, equal to `headroom route`; a link restores it",
     { timeout: 240_000 }, async (t) => {
  // Tall enough that every policy row is on screen to be clicked.
  const { page, problems } = await openPage(browser, `${baseUrl}?study=${studies.skeleton}&tab=routers`,
                                            { permissions: ["clipboard-read", "clipboard-write"],
                                              viewport: { width: 1280, height: 1200 } });
  let state = await waitForState(page, () => window.headroom && window.headroom.ready && window.headroom.router);
  assert.equal(state.router_view, "logistic:tfidf:corrected:argmax");
  await clickTarget(page, "router=kmeans");
  await clickTarget(page, "train=naive");
  state = await waitForState(page, () => window.headroom.router && window.headroom.router.evaluation.router === "kmeans" &&
                                          window.headroom.router.train_protocol === window.headroom.router.test_protocol);
  assert.equal(state.router_view, "kmeans:tfidf:naive:argmax");
  await page.waitForTimeout(200);
  await shot(page, "21-routers-kmeans");
  const cli = JSON.parse(runCli(["route", join(site, studies.skeleton), "--router", "kmeans", "--policy", "argmax",
                                 "--train-protocol", state.router.train_protocol,
                                 "--protocol", state.router.test_protocol, "--json"]));
  const keep = new Set(cli.evaluation.policies.map((p) => p.policy));
  const app = { ...state.router, evaluation: { ...state.router.evaluation,
                                               policies: state.router.evaluation.policies.filter((p) => keep.has(p.policy)) } };
  assert.deepStrictEqual(app, cli);
  t.diagnostic(`kmeans trained on naive labels in the browser equals 'headroom route' (${[...keep].join(", ")}); ` +
               `${state.router.evaluation.policies.length} policies evaluated`);

  const policy = await clickTarget(page, "policy=sorted-pred@p1-code");
  assert.equal(policy.router_view, "kmeans:tfidf:naive:sorted-pred@p1-code");
  const copy = policy.targets["copy-link"];
  await page.mouse.click(copy.x, copy.y);
  const link = await page.waitForFunction(() => window.headroomCopiedLink).then((h) => h.jsonValue());
  assert.match(link, /router=kmeans%3Atfidf%3Anaive%3Asorted-pred%40p1-code/);
  const second = await openPage(browser, link);
  const restored = await waitForState(second.page, () => window.headroom && window.headroom.ready && window.headroom.router);
  assert.equal(restored.router_view, policy.router_view);
  assert.deepStrictEqual(restored.router, state.router);
  assert.deepEqual(problems, []);
  assert.deepEqual(second.problems, []);
  await second.page.context().close();
  await page.context().close();
});

// Records the page's long main-thread tasks (over 50 ms, as the browser reports them)
// that ended after the study was first shown (loading it is one task of its own).
const watchLongTasks = (page) => page.evaluate(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.startTime + e.duration > window.headroomTiming.ready_ms) window.longTasks.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
});

for (const [where, blockTrainer] of [["worker", false], ["page", true]]) {
  test(`on p2-artifacts a router trains in the ${where === "worker" ? "trainer worker" : "page when trainer.wasm is missing"}, ` +
       "equal to `headroom route`", { timeout: 240_000 }, async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    // The worker starts, cannot fetch its module, says so, and the page trains in place.
    if (blockTrainer) await context.route("**/trainer.wasm", (route) => route.abort());
    await page.goto(`${baseUrl}?study=${studies["p2-artifacts"]}&tab=routers&router=logistic:tfidf:naive:argmax`);
    await ready(page);
    await watchLongTasks(page);
    const state = await waitForState(page, () => window.headroom.router && !window.headroom.working);
    const { longest, shown } = await page.evaluate(() => ({ longest: Math.max(0, ...window.longTasks),
                                                            shown: performance.now() - window.headroomTiming.ready_ms }));
    t.diagnostic(`logistic on naive labels, trained in the ${where}: shown ${shown.toFixed(0)} ms after the study was; ` +
                 `longest main-thread task since ${longest.toFixed(0)} ms`);
    assert.equal(state.router_trainer, where);
    assert.equal(state.router.error, undefined);
    const cli = JSON.parse(runCli(["route", join(site, studies["p2-artifacts"]), "--router", "logistic",
                                   "--policy", "argmax", "--train-protocol", state.router.train_protocol,
                                   "--protocol", state.router.test_protocol, "--json"]));
    assert.deepStrictEqual(state.router.evaluation.policies[0], cli.evaluation.policies[0]);
    assert.deepStrictEqual(state.router.evaluation.sweep, cli.evaluation.sweep);
    await shot(page, `21b-routers-p2-${where}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("a malformed file dropped on the page shows an error in words", { timeout: 120_000 }, async () => {
  const { page } = await openPage(browser, baseUrl);
  await ready(page);
  await page.setInputFiles("#study-file", { name: "broken.pack", mimeType: "application/octet-stream",
                                            buffer: Buffer.from("HDRMPACK\u0003\u0000\u0000\u0000 truncated") });
  const failed = await waitForState(page, () => window.headroom.status === "failed");
  await page.waitForTimeout(200);
  await shot(page, "18-malformed-file");
  assert.match(failed.error, /broken\.pack/);
  assert.match(await page.textContent("#status"), /Error: /);
  await page.context().close();
});

test("a study directory dropped as a zip or a tar.gz loads and equals the CLI's report", { timeout: 180_000 }, async () => {
  // Real study directories (simulated with two seeds, graded), archived by CMake's own
  // libarchive: the two differ, so each drop's numbers show it was that file that loaded.
  const work = mkdtempSync(join(tmpdir(), "headroom-drop-"));
  const archives = [["mine.zip", "9", ["cf", "mine.zip", "--format=zip"]], ["mine.tar.gz", "10", ["czf", "mine.tar.gz"]]];
  for (const [name, seed, flags] of archives) {
    const dir = join(work, `seed-${seed}`);
    runCli(["simulate", "--pool", "skeleton", "--seed", seed, "--out", join(dir, "mine")]);
    runCli(["grade", join(dir, "mine")]);
    execFileSync("cmake", ["-E", "tar", ...flags, "mine"], { cwd: dir });
  }
  const { page, problems } = await openPage(browser, baseUrl);
  await ready(page);
  for (const [name, seed] of archives) {
    const file = join(work, `seed-${seed}`, name);
    const expected = expectedFor(JSON.parse(runCli(["report", file, "--json"])), "naive");
    await page.setInputFiles("#study-file", { name, mimeType: "application/octet-stream", buffer: readFileSync(file) });
    const state = await waitForState(page, (text) => window.headroom.status === "failed" ||
      (window.headroom.ready && window.headroom.dropped && JSON.stringify(window.headroom.report) === text),
      JSON.stringify(expected));
    assert.equal(state.status, "ready", state.error);
    assert.deepStrictEqual(state.report, expected);
    await page.waitForTimeout(200);
    await shot(page, `18b-dropped-${name.replace(/\./g, "-")}`);
  }
  assert.deepEqual(problems, []);
  rmSync(work, { recursive: true, force: true });
  await page.context().close();
});

// A key pressed on a quiet app (it has drawn nothing for 150 ms, idle.h) and held
// until two frames have been drawn with it down, as a person's press lasts: ImGui 1.86
// reads which keys are down once per frame, so a press and release between two frames
// would go unseen (and the first frame counted might have begun before the press).
// Then, once the app is quiet again, the widget that has the focus.
async function key(page, name) {
  const drawn = () => page.evaluate(() => Module.drawnFrames || 0);
  const quiet = async () => {
    for (let last = -1, now = await drawn(); now !== last; now = await drawn()) {
      last = now;
      await page.waitForTimeout(150);
    }
  };
  await quiet();
  const before = await drawn();
  await page.keyboard.down(name);
  await page.waitForFunction((m) => (Module.drawnFrames || 0) >= m + 2, before, { polling: 5 });
  await page.keyboard.up(name);
  await quiet();
  return page.evaluate(() => window.headroom.focused);
}

test("the keyboard alone: arrows move, Space presses, enters a panel and works the slider; Tab is the page's",
     { timeout: 120_000 },
     async () => {
  const { page, problems } = await openPage(browser, `${baseUrl}?study=${studies.skeleton}`);
  const start = await settled(page);
  // A click gives the canvas the keys (and ImGui its focus); from here on only keys.
  await page.mouse.click(start.targets.naive.x, start.targets.naive.y);
  await waitForState(page, () => window.headroom.focused === "naive");
  assert.equal(await key(page, "ArrowRight"), "corrected");
  await key(page, "Space");
  assert.equal((await waitForState(page, () => window.headroom.name === "corrected")).name, "corrected");
  assert.equal(await key(page, "ArrowLeft"), "naive");
  await key(page, "Space");
  await waitForState(page, () => window.headroom.name === "naive");
  // Down through the protocol's rows and the buttons to the Headroom tab, then into it.
  const walked = [];
  while (walked.at(-1) !== "tab=headroom" && walked.length < 12) walked.push(await key(page, "ArrowDown"));
  assert.deepEqual(walked, ["budget=160", "extractor=strict", "aggregate=greedy", "k=1", "copy-link", "tab=headroom"]);
  assert.equal(await key(page, "ArrowDown"), "", "the tab's panel, as a whole");
  assert.equal(await key(page, "Space"), "guess-slider", "Space enters the panel");
  assert.equal(await key(page, "Escape"), "", "Escape leaves it");
  assert.equal(await key(page, "Space"), "guess-slider");
  await shot(page, "22-keyboard-slider");
  const before = (await page.evaluate(() => window.headroom)).guess;
  await key(page, "Space");  // takes the slider
  await key(page, "ArrowRight");
  await key(page, "ArrowRight");
  await key(page, "Space");  // lets it go
  assert.equal((await waitForState(page, (g) => window.headroom.guess !== g, before)).guess, before + 2);
  assert.equal(await key(page, "ArrowRight"), "reveal");
  await key(page, "Space");
  const revealed = await waitForState(page, () => window.headroom.revealed);
  assert.equal(revealed.guess, before + 2);
  await shot(page, "22b-keyboard-revealed");
  // Tab belongs to the page: it leaves the canvas for the next control, keys pressed
  // there do not reach the app, and Shift+Tab comes back.
  const active = () => page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
  assert.equal(await active(), "canvas");
  await page.keyboard.press("Tab");
  assert.notEqual(await active(), "canvas");
  const focusedBefore = (await page.evaluate(() => window.headroom)).focused;
  const drawnBefore = await page.evaluate(() => Module.drawnFrames);
  for (const name of ["ArrowUp", "ArrowUp", "ArrowDown"]) {
    await page.keyboard.down(name);
    await page.waitForTimeout(100);
    await page.keyboard.up(name);
  }
  await page.waitForTimeout(300);
  // Not even a frame drawn: the app never heard the keys.
  assert.equal(await page.evaluate(() => Module.drawnFrames), drawnBefore);
  assert.equal((await page.evaluate(() => window.headroom)).focused, focusedBefore);
  await page.keyboard.press("Shift+Tab");
  assert.equal(await active(), "canvas");
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("exports and frame times, idle and hovering the chart", { timeout: 180_000 }, async (t) => {
  const { page } = await openPage(browser, `${baseUrl}?study=${studies.skeleton}&tab=headroom&protocol=budget%3D1024`);
  await settled(page);
  await page.waitForTimeout(300);
  const idle = await frameTimes(page, 2000);
  const chart = (await page.evaluate(() => window.headroom)).targets.chart;
  assert.ok(chart, "the headroom tab publishes its chart");
  const hovering = await frameTimes(page, 2000, async () => {
    for (let i = 0; i < 40; ++i) {
      await page.mouse.move(chart.x - 300 + i * 15, chart.y);
      await page.waitForTimeout(45);
    }
  });
  t.diagnostic(`frame interval idle: median ${idle.median.toFixed(1)} ms, p95 ${idle.p95.toFixed(1)} ms ` +
               `(${idle.frames} frames, ${idle.drawn} drawn); hovering: median ${hovering.median.toFixed(1)} ms, ` +
               `p95 ${hovering.p95.toFixed(1)} ms (${hovering.frames} frames, ${hovering.drawn} drawn); main thread ` +
               `per frame drawn while hovering: median ${hovering.drawMedian.toFixed(1)} ms, p95 ` +
               `${hovering.drawP95.toFixed(1)} ms (60 fps leaves 16.7 ms)`);
  // Idle, nothing can change, so nothing is drawn; a moving pointer is followed.
  assert.ok(idle.drawn <= 4, `the idle page drew ${idle.drawn} frames in 2 s`);
  assert.ok(hovering.drawn >= 10, `the page drew ${hovering.drawn} frames while the pointer moved`);
  await shot(page, "19-hover-tooltip");

  const downloads = [];
  page.on("download", (d) => downloads.push(d));
  const state = await page.evaluate(() => window.headroom);
  await page.mouse.click(state.targets["export-png"].x, state.targets["export-png"].y);
  await page.waitForFunction(() => window.headroomLastDownload && window.headroomLastDownload.name.endsWith(".png"));
  await page.mouse.click(state.targets["export-csv"].x, state.targets["export-csv"].y);
  await page.waitForFunction(() => window.headroomLastDownload && window.headroomLastDownload.name.endsWith(".csv"));
  await page.waitForTimeout(300);
  const png = downloads.find((d) => d.suggestedFilename().endsWith(".png"));
  const csv = downloads.find((d) => d.suggestedFilename().endsWith(".csv"));
  assert.ok(png && csv, "both downloads happened");
  const pngPath = join(shots, "20-exported-chart.png");
  await png.saveAs(pngPath);
  assert.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const csvText = readFileSync(await csv.path(), "utf8");
  assert.match(csvText, /^quantity,all,/);
  await page.context().close();
});
