// A static file server for dist/, mounted under a sub-path (as on a project page of a static
// host) so the end-to-end tests prove relative asset URLs work. Loopback only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".bin": "application/octet-stream",
  ".bundle": "application/octet-stream",
};

/**
 * Serves `root` at http://127.0.0.1:<port><mount>; resolves to { url, close }. `replaced` maps
 * a file's path under the mount to the bytes served in its place (a damaged file, for tests).
 */
export async function serveStatic(root, mount = "/", replaced = {}) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (!path.startsWith(mount)) {
      response.writeHead(404).end("not under " + mount);
      return;
    }
    let relative = path.slice(mount.length);
    if (relative === "" || relative.endsWith("/")) relative += "index.html";
    if (relative in replaced) {
      response.writeHead(200, { "content-type": CONTENT_TYPES[extname(relative)] ?? "application/octet-stream" });
      response.end(replaced[relative]);
      return;
    }
    const file = normalize(join(root, relative));
    if (!file.startsWith(normalize(root) + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found: " + relative);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    // Ends kept-alive connections too, so that a closed server is really gone (offline tests).
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
