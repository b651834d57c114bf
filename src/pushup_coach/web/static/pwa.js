// Registers the service worker (/sw.js) so the app can be installed and its pages open offline
// once loaded. A browser without service workers, or a page that is not secure, just goes on.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

// After erasing everything or signing out, the pages this browser kept for offline use (which
// show your data) are deleted too: the page says so with a data-forget-offline element.
if ("caches" in window && document.querySelector("[data-forget-offline]")) {
  caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key)))).catch(() => {});
}
