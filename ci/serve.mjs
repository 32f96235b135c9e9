#!/usr/bin/env node
// A small static file server for the study site (build/site), with no dependencies:
// the right MIME types (browsers refuse to stream-compile WebAssembly served as
// anything but application/wasm) and gzip when the client accepts it (the packed
// study shrinks about 14x). Binds 127.0.0.1 unless told otherwise.
//
//   node ci/serve.mjs [PORT] [ROOT] [--host ADDRESS]
//
// PORT defaults to 8000 (0 picks a free one); ROOT to build/site. Prints
// "serving ROOT on http://HOST:PORT/" once listening, which tests wait for.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".sha256": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".pack": "application/octet-stream",
};
// Already-compressed formats gain nothing from gzip.
const incompressible = new Set([".png", ".woff2", ".ico", ".gz"]);

function parseArgs(argv) {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const options = { port: 8000, root: resolve(here, "..", "build", "site"), host: "127.0.0.1" };
  const positional = [];
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === "--host") options.host = argv[++i];
    else if (argv[i] === "--help" || argv[i] === "-h") {
      console.log("usage: node ci/serve.mjs [PORT] [ROOT] [--host ADDRESS]");
      process.exit(0);
    } else positional.push(argv[i]);
  }
  if (positional[0] !== undefined) {
    options.port = Number(positional[0]);
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      console.error(`serve: bad port '${positional[0]}'`);
      process.exit(2);
    }
  }
  if (positional[1] !== undefined) options.root = resolve(positional[1]);
  return options;
}

// True when Accept-Encoding lists gzip (or *) with a non-zero quality.
function acceptsGzip(header) {
  if (!header) return false;
  return header.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}

// The gzipped body: FILE.gz when ci/demo wrote one at least as new as FILE (gzip -k
// gives it FILE's time), otherwise FILE compressed here, once per file version (a large
// study takes a moment).
const gzipCache = new Map();
async function gzipped(path, info) {
  try {
    const pre = await stat(path + ".gz");
    if (pre.isFile() && pre.mtimeMs >= info.mtimeMs) return await readFile(path + ".gz");
  } catch {
    // no precompressed copy
  }
  const key = `${path}:${info.size}:${info.mtimeMs}`;
  let out = gzipCache.get(key);
  if (!out) {
    out = gzipSync(await readFile(path), { level: 6 });
    gzipCache.set(key, out);
  }
  return out;
}

// Maps a URL path inside root; null when it would escape root.
function fileFor(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const path = normalize(join(root, decoded));
  return path === root || path.startsWith(root + sep) ? path : null;
}

function send(res, code, text) {
  res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function handle(root, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    return send(res, 405, "method not allowed\n");
  }
  const url = new URL(req.url, "http://localhost");
  let path = fileFor(root, url.pathname);
  if (!path) return send(res, 403, "forbidden\n");
  let info;
  try {
    info = await stat(path);
    if (info.isDirectory()) {
      path = join(path, "index.html");
      info = await stat(path);
    }
  } catch {
    return send(res, 404, `not found: ${url.pathname}\n`);
  }
  if (!info.isFile()) return send(res, 404, `not found: ${url.pathname}\n`);

  const ext = extname(path).toLowerCase();
  const headers = {
    "Content-Type": types[ext] || "application/octet-stream",
    "Cache-Control": "no-cache",  // a development server: always revalidate
    "Last-Modified": info.mtime.toUTCString(),
    "X-Content-Type-Options": "nosniff",
    Vary: "Accept-Encoding",
  };
  let body;
  if (info.size > 1024 && !incompressible.has(ext) && acceptsGzip(req.headers["accept-encoding"])) {
    body = await gzipped(path, info);
    headers["Content-Encoding"] = "gzip";
  } else {
    body = await readFile(path);
  }
  headers["Content-Length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

const options = parseArgs(process.argv.slice(2));
try {
  if (!(await stat(options.root)).isDirectory()) throw new Error("not a directory");
} catch {
  console.error(`serve: ${options.root} is not a directory (build the site with ci/demo --build-only)`);
  process.exit(1);
}
const server = createServer((req, res) => {
  handle(options.root, req, res).catch((err) => {
    console.error(`serve: ${req.url}: ${err.message}`);
    if (!res.headersSent) send(res, 500, "internal error\n");
    else res.destroy();
  });
});
server.on("error", (err) => {
  console.error(`serve: ${err.message}`);
  process.exit(1);
});
server.listen(options.port, options.host, () => {
  const { port } = server.address();
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  console.log(`serving ${options.root} on http://${host}:${port}/`);
});
// Browsers keep connections alive, so waiting for them to close could take forever.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
