// Synthome's service worker: keeps the app and its model bundles so that, after a first visit,
// the page opens and generates with no network at all. Registered by index.html; its scope is
// the directory it is served from, so it works on a static host's sub-path too.
//
// - Files whose names carry Trunk's content hash (the app's .js, .wasm and .css) never change:
//   served from the cache when there, fetched and kept otherwise.
// - Everything else under the scope (index.html, the worker's files, the model bundles and
//   cards): fetched from the network first, so an update arrives on the next visit, and kept;
//   the kept copy answers when the network does not.
// - Requests to the model API (`/api/`), other origins and anything but GET pass through.
const CACHE = "synthome-app-v1";
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css|svg)$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (request.method !== "GET" || url.origin !== scope.origin) return;
  if (!url.pathname.startsWith(scope.pathname) || url.pathname.includes("/api/")) return;
  event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
});

async function keep(request, response) {
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  return cached ?? keep(request, await fetch(request));
}

async function networkFirst(request) {
  try {
    return await keep(request, await fetch(request));
  } catch (offline) {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw offline;
  }
}
