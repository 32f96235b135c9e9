// Shared set-up of the browser tests: paths (overridable for an engineer's own build
// directories), the static server, Debian's headless Chromium with software WebGL, and
// waiting on the state the app publishes as window.headroom.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const root = resolve(process.env.HEADROOM_ROOT || repo);
export const site = resolve(process.env.HEADROOM_SITE || join(root, "build", "site"));
export const cli = resolve(process.env.HEADROOM_CLI || join(root, "build", "native", "bin", "headroom"));
export const shots = resolve(process.env.HEADROOM_SHOTS || join(root, "build", "browser-shots"));
export const readyTimeout = 120_000;

// TOOLCHAIN.md: software WebGL through ANGLE + SwiftShader, nothing from the network.
const chromiumFlags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
];

export function startServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repo, "ci", "serve.mjs"), "0", site], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/on (http:\/\/\S+)/);
      if (match) resolvePromise({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`ci/serve.mjs exited with ${code} before listening`)));
  });
}

// Fails early, naming the command to run, when the site or the CLI is not built.
export function requireBuilds() {
  for (const [path, hint] of [[join(site, "app.wasm"), "ci/demo --build-only"], [cli, "ci/build native"]])
    if (!existsSync(path)) throw new Error(`${path} is missing: run ${hint} first`);
  mkdirSync(shots, { recursive: true });
}

export function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: chromiumFlags });
}

export function runCli(args) {
  return execFileSync(cli, args, { encoding: "utf8", maxBuffer: 256 << 20 });
}

// A page in a fresh context, collecting page errors and console errors.
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
  const started = Date.now();
  await page.goto(url);
  return { page, problems, started };
}

export async function waitForState(page, predicate, arg, timeout = readyTimeout) {
  await page.waitForFunction(predicate, arg, { timeout, polling: 30 });
  return page.evaluate(() => window.headroom);
}

// Clicks a widget the app published under `key` and waits for the next published state.
export async function clickTarget(page, key) {
  const state = await page.evaluate(() => window.headroom);
  const target = state.targets[key];
  if (!target) throw new Error(`the app publishes no target '${key}' (has: ${Object.keys(state.targets).join(", ")})`);
  await page.mouse.click(target.x, target.y);
  return waitForState(page, (rev) => window.headroom.revision > rev, state.revision);
}
