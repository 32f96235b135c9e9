// End-to-end test of the study site in Debian's headless Chromium: the report the
// browser computes (C++ core compiled to WebAssembly) must equal the native CLI's,
// exactly, for the default protocol, after a click on the Corrected toggle, and after
// a protocol set through the exported function. Broken study URLs must show words.
//
// Needs build/site (ci/demo --build-only) and build/native/bin/headroom (ci/build native).
// HEADROOM_ROOT=/path runs it against another checkout's build/; HEADROOM_SITE,
// HEADROOM_CLI and HEADROOM_SHOTS override single paths.
// Run: cd tests/browser && node --test
// Screenshots of every step land in build/browser-shots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import * as harness from "./harness.mjs";
import { launchBrowser, requireBuilds, runCli, shots, site, startServer, waitForState } from "./harness.mjs";

const studyUrl = "precomputed/skeleton/study.pack";
// The CLI reads the very bytes the site serves.
const studyFile = join(site, studyUrl);

let server, baseUrl, browser;

function cliReport(...protocols) {
  const args = ["report", studyFile, "--json"];
  for (const p of protocols) args.push("--protocol", p);
  return JSON.parse(runCli(args));
}

// The CLI's report cut down to the one protocol the app shows, keys in the CLI's order.
function expectedFor(cli, name) {
  const protocols = cli.protocols.filter((p) => p.name === name);
  assert.equal(protocols.length, 1, `the CLI report has no protocol named '${name}'`);
  return { ...cli, protocols };
}

// Exact equality: same keys in the same order, same doubles (JSON round-trips them).
function assertSameReport(actual, expected) {
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

// Each test gets its own context: no cache, storage or emulation shared between tests.
const openPage = (query = "", options = {}) => harness.openPage(browser, `${baseUrl}${query}`, options);

async function shot(page, name, fullPage = false) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

before(async () => {
  requireBuilds();
  ({ child: server, url: baseUrl } = await startServer());
  // Playwright gives the browser a fresh temporary profile (user-data-dir) and removes it on close.
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test("the server sends the right types and gzips what it can", async () => {
  const wasm = await fetch(`${baseUrl}app.wasm`, { headers: { "Accept-Encoding": "gzip" } });
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  assert.equal(wasm.headers.get("content-encoding"), "gzip");
  await wasm.arrayBuffer();
  const plain = await fetch(`${baseUrl}${studyUrl}`, { headers: { "Accept-Encoding": "identity" } });
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(Number(plain.headers.get("content-length")), (await plain.arrayBuffer()).byteLength);
  const page = await fetch(baseUrl);
  assert.match(page.headers.get("content-type"), /^text\/html/);
  await page.text();
  const escape = await fetch(`${baseUrl}..%2f..%2fetc/passwd`);
  assert.ok(escape.status === 403 || escape.status === 404, `path escape answered ${escape.status}`);
  await escape.text();
});

test("the site shows the naive report, equal to the CLI's", { timeout: 120_000 }, async (t) => {
  const { page, problems, started } = await openPage();
  const state = await waitForState(page, () => window.headroom && window.headroom.ready);
  const wallMs = Date.now() - started;
  const readyMs = await page.evaluate(() => window.headroomTiming.ready_ms);
  t.diagnostic(`page load, navigation to ready: ${readyMs.toFixed(0)} ms (wall clock from goto: ${wallMs} ms)`);
  const loaded = await page.evaluate(() => performance.getEntriesByType("resource")
    .map((e) => `${e.name.split("/").pop()} ${Math.round(e.responseEnd)} ms`).join(", "));
  t.diagnostic(`downloads finished (ms after navigation): ${loaded}`);
  await shot(page, "01-naive");

  const cli = cliReport();
  assert.equal(state.name, "naive");
  assert.equal(state.protocol, expectedFor(cli, "naive").protocols[0].protocol);
  assertSameReport(state.report, expectedFor(cli, "naive"));
  // The page's own status line says what is shown, as text.
  assert.match(await page.textContent("#status"), /naive protocol/);
  assert.equal(await page.isHidden("#loading"), true);
  // The canvas draws at device pixels.
  const canvas = await page.evaluate(() => {
    const c = document.getElementById("canvas");
    return { width: c.width, css: c.getBoundingClientRect().width, dpr: devicePixelRatio };
  });
  assert.equal(canvas.width, Math.round(canvas.css * canvas.dpr));
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("clicking Corrected recomputes the report in the browser, equal to the CLI's", { timeout: 120_000 }, async (t) => {
  const { page, problems } = await openPage();
  const naive = await waitForState(page, () => window.headroom && window.headroom.ready);
  const target = naive.targets.corrected;
  assert.ok(target, "the app publishes where its Corrected button is");
  await page.mouse.click(target.x, target.y);
  const state = await waitForState(page, (rev) => window.headroom.revision > rev && window.headroom.name === "corrected",
                                  naive.revision);
  await shot(page, "02-corrected-by-click");

  assert.equal(state.name, "corrected");
  assertSameReport(state.report, expectedFor(cliReport(), "corrected"));
  const headroomOf = (s) => s.report.protocols[0].sections[0].headroom;
  assert.notEqual(headroomOf(state), headroomOf(naive), "the numbers change with the protocol");
  t.diagnostic(`overall headroom: naive ${(100 * headroomOf(naive)).toFixed(2)}%, ` +
               `corrected ${(100 * headroomOf(state)).toFixed(2)}%`);

  // And back: the Naive button restores the first report (from the app's cache).
  await page.mouse.click(state.targets.naive.x, state.targets.naive.y);
  const back = await waitForState(page, (rev) => window.headroom.revision > rev && window.headroom.name === "naive",
                                 state.revision);
  assert.equal(back.name, "naive");
  assert.deepStrictEqual(back.report, naive.report);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("headroom_set_protocol and the individual controls give the CLI's numbers", { timeout: 120_000 }, async (t) => {
  const { page, problems } = await openPage();
  const naive = await waitForState(page, () => window.headroom && window.headroom.ready);

  // The exported C function takes the CLI's --protocol syntax (changes to the naive protocol).
  const accepted = await page.evaluate(
    (text) => window.Module.ccall("headroom_set_protocol", "number", ["string"], [text]),
    "budget=1024 aggregate=pass@3");
  assert.equal(accepted, 1);
  const custom = await waitForState(page, (rev) => window.headroom.revision > rev && /pass@3/.test(window.headroom.protocol),
                                   naive.revision);
  await shot(page, "03-custom-by-function");
  assert.match(custom.protocol, /budget=1024 extractor=strict .*aggregate=pass@3/);
  // A custom protocol is named by its description: the name the CLI gives --protocol "<description>".
  assert.equal(custom.name, custom.protocol);
  assertSameReport(custom.report, expectedFor(cliReport(custom.protocol), custom.name));
  assert.notDeepEqual(custom.report.protocols[0].sections, naive.report.protocols[0].sections);

  // Then one individual control, clicked on screen: the lenient extractor.
  const lenient = custom.targets["extractor=lenient"];
  await page.mouse.click(lenient.x, lenient.y);
  const clicked = await waitForState(
    page, (rev) => window.headroom.revision > rev && /extractor=lenient/.test(window.headroom.protocol), custom.revision);
  await shot(page, "04-lenient-by-click");
  assert.match(clicked.protocol, /budget=1024 extractor=lenient .*aggregate=pass@3/);
  assertSameReport(clicked.report, expectedFor(cliReport(clicked.protocol), clicked.name));
  // And k, from its row of buttons.
  const k2 = clicked.targets["k=2"];
  await page.mouse.click(k2.x, k2.y);
  const fewer = await waitForState(page, (rev) => window.headroom.revision > rev && /pass@2/.test(window.headroom.protocol),
                                  clicked.revision);
  assert.match(fewer.protocol, /extractor=lenient .*aggregate=pass@2/);
  assertSameReport(fewer.report, expectedFor(cliReport(fewer.protocol), fewer.name));
  t.diagnostic(`custom protocols checked: '${custom.protocol}', '${clicked.protocol}', '${fewer.protocol}'`);

  // A protocol the study cannot support is refused in words; the shown report stays.
  const refused = await page.evaluate(
    () => window.Module.ccall("headroom_set_protocol", "number", ["string"], ["budget=999"]));
  assert.equal(refused, 0);
  const after = await waitForState(page, (rev) => window.headroom.revision > rev && window.headroom.protocol_error !== "",
                                  fewer.revision);
  assert.match(after.protocol_error, /budget 999/);
  assert.deepStrictEqual(after.report, fewer.report);
  await shot(page, "05-refused-protocol");
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("a missing study shows an error in words", { timeout: 120_000 }, async () => {
  const { page } = await openPage("?study=missing.pack");
  const state = await waitForState(page, () => window.headroom && window.headroom.status === "failed");
  await shot(page, "06-missing-study");
  assert.equal(state.ready, false);
  assert.match(state.error, /Could not download the study from 'missing\.pack'/);
  assert.match(await page.textContent("#status"), /Error: Could not download the study/);
  await page.context().close();
});

test("a file that is not a packed study shows an error in words", { timeout: 120_000 }, async () => {
  const { page } = await openPage("?study=site.js");
  const state = await waitForState(page, () => window.headroom && window.headroom.status === "failed");
  await shot(page, "07-not-a-pack");
  assert.equal(state.ready, false);
  assert.match(state.error, /site\.js/);
  assert.match(await page.textContent("#status"), /Error: /);
  await page.context().close();
});

test("HiDPI and a narrow window: sharp canvas, one scrolling column", { timeout: 120_000 }, async () => {
  const { page: page } = await openPage("", { viewport: { width: 700, height: 900 }, deviceScaleFactor: 2 });
  await waitForState(page, () => window.headroom && window.headroom.ready);
  const canvas = await page.evaluate(() => {
    const c = document.getElementById("canvas");
    return { width: c.width, css: c.getBoundingClientRect().width, dpr: devicePixelRatio };
  });
  assert.equal(canvas.dpr, 2);
  assert.equal(canvas.width, Math.round(canvas.css * 2));
  await shot(page, "08-hidpi-narrow", true);
  await page.context().close();
});
