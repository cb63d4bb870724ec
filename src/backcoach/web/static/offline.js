// backcoach: installs the service worker (/sw.js) and asks it to keep this page's list of
// addresses for offline use (<meta name="backcoach-offline">). Browsers allow service workers
// only in a secure context: HTTPS, or localhost while developing (docs/web.md).
"use strict";
(function () {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const meta = (name) => {
    const found = document.querySelector(`meta[name="${name}"]`);
    return found ? found.content : "";
  };
  // The offline page stands in for any page: it is no one's, so it asks nothing of the worker.
  if (meta("backcoach-offline-fallback")) return;
  const urls = meta("backcoach-offline").split(/\s+/).filter(Boolean);
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // Every page says whose it is, even with nothing to keep (the login page: no one), so
      // the worker drops another person's kept pages as soon as this person opens any page.
      if (registration.active) {
        registration.active.postMessage({ type: "keep", urls, user: meta("backcoach-user") });
      }
    })
    .catch(() => {}); // no worker (private mode, a blocked policy): the pages work online as ever
})();
