// pushup-coach's service worker: the app opens offline once it has been loaded.
//
// - On install it keeps the app shell (home page, stylesheet, scripts, manifest, icons).
// - Pages (navigations) come from the network when it answers, and a copy of each HTML page is
//   kept; offline, the kept copy is shown (or the home page, for a page never opened).
// - Files under /static/ (including the live page's vendored MediaPipe runtime, wasm and model,
//   once the live page has loaded them) are served from the cache and refreshed in the
//   background, so the live page starts offline too.
// - Nothing else is kept: no JSON, exports, videos, uploads or sockets. Only GETs of this origin.
const CACHE = "pushup-coach-v1";
const SHELL = [
  "/",
  "/static/app.css",
  "/static/pwa.js",
  "/static/upload.js",
  "/static/job.js",
  "/manifest.webmanifest",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function isHtml(response) {
  return response.ok && (response.headers.get("content-type") || "").startsWith("text/html");
}

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (isHtml(response)) cache.put(request, response.clone());
    return response;
  } catch (offline) {
    return (await cache.match(request, { ignoreSearch: false })) || (await cache.match("/")) || Response.error();
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok && response.status === 200) cache.put(request, response.clone());
    return response;
  });
  if (kept) {
    fresh.catch(() => {});
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(asset(request));
  }
});
