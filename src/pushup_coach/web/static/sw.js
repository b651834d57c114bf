// pushup-coach's service worker: the app opens offline once it has been loaded.
//
// - On install it keeps the app shell (home page, stylesheet, scripts, manifest, icons), and
//   on activation the pages already open.
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
      .then(() => self.clients.claim())
      .then(keepOpenPages),
  );
});

// The pages open when the worker first starts were loaded before it: keep them too, so the page
// a person first opened also opens offline.
async function keepOpenPages() {
  const cache = await caches.open(CACHE);
  const open = await self.clients.matchAll({ type: "window" });
  await Promise.all(open.map(async (client) => {
    const url = new URL(client.url);
    if (url.origin !== self.location.origin) return;
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (isHtml(response) && !response.redirected) await cache.put(url.href, response);
    } catch (offline) { /* kept when next loaded */ }
  }));
}

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
    const kept = (await cache.match(request)) || (await cache.match("/"));
    // a kept redirect (the home page sending a signed-out person to sign in) cannot answer a page
    return kept && !kept.redirected ? kept : Response.error();
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

// A page lists the /static/ files it loaded before this worker controlled it: keep the missing.
self.addEventListener("message", (event) => {
  const urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  const own = `${self.location.origin}/static/`;
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(
    urls.filter((url) => typeof url === "string" && url.startsWith(own)).map(async (url) => {
      if (await cache.match(url)) return;
      const response = await fetch(url);
      if (response.ok && response.status === 200) await cache.put(url, response);
    }).map((kept) => kept.catch(() => {})),
  )));
});
