// Registers the service worker (/sw.js) so the app can be installed and its pages open offline
// once loaded. A browser without service workers, or a page that is not secure, just goes on.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
