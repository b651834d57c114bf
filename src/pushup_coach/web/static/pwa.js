// Registers the service worker (/sw.js) so the app can be installed and its pages open offline
// once loaded. A browser without service workers, or a page that is not secure, just goes on.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  // What this page fetched before the worker took charge of it (the first visit: the live page's
  // runtime, wasm and model) did not pass through the worker: ask it to keep those files too, as
  // each finishes loading (the worker skips what it already has).
  const own = `${location.origin}/static/`;
  let loaded = [];
  const keepLoaded = () => {
    const worker = navigator.serviceWorker.controller;
    if (worker && loaded.length) {
      worker.postMessage({ keep: loaded });
      loaded = [];
    }
  };
  if ("PerformanceObserver" in window) {
    new PerformanceObserver((list) => {
      loaded.push(...list.getEntries().map((e) => e.name).filter((u) => u.startsWith(own)));
      keepLoaded();
    }).observe({ type: "resource", buffered: true });
  }
  navigator.serviceWorker.addEventListener("controllerchange", keepLoaded);
}

// After erasing everything or signing out, the pages this browser kept for offline use (which
// show your data) are deleted too: the page says so with a data-forget-offline element.
if ("caches" in window && document.querySelector("[data-forget-offline]")) {
  caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key)))).catch(() => {});
}
