// backcoach's service worker: the app shell per version, the pages a person keeps for offline use,
// the camera's files, and the outbox's Background Sync. /sw.js puts self.BACKCOACH = {version,
// shell, offline, outbox, camera} before this code (web/routes/offline.py). docs/web.md "Offline
// use" tells the whole story.
"use strict";
const { version, shell, offline, outbox, camera } = self.BACKCOACH;
// Two caches per version: the files (static files, pictures, the offline page: no one's data) and
// the kept pages of one person, named with their id so that another person's never serve.
const FILES = `backcoach-files-${version}`;
const KEPT = `backcoach-kept-${version}-`;
const OWN = /^backcoach-(files|kept)-/;
// The camera's files (17 MB) are fetched only when the camera is used, and kept across versions:
// their addresses carry a hash of their bytes, so an unchanged file keeps its address and copy.
const CAMERA = "backcoach-camera";
importScripts(outbox);

const here = (address) => new URL(address, self.location.href);
const isFile = (url) => /^\/(static|pictures)\//.test(url.pathname);
const matching = (request) => caches.match(request, { ignoreVary: true });
const isCamera = (url) => url.pathname.startsWith("/static/camera/");
const current = (url) => camera.includes(url.pathname + url.search);

// Only one person's kept pages at a time: any other person's (of any version) go first; the
// same person's of an older version stay until that version is gone (activate).
const userOf = (name) => name.split("-").slice(3).join("-");
async function forgetOthers(user) {
  for (const name of await caches.keys()) {
    if (name.startsWith("backcoach-kept-") && userOf(name) !== user) await caches.delete(name);
  }
}

// The person a page was made for (its backcoach-user meta): a page fetched with someone else's
// login (a login that changed since) is never kept under this person's name.
const ownerOf = (html) => (html.match(/<meta name="backcoach-user" content="([^"]*)"/) || [])[1] || "";

// Fetch and keep addresses (same origin, never the API nor the camera's files): a page afresh
// each time, with the static files and pictures it names; a file (its address is versioned) only
// when this version does not hold it yet.
async function keep(addresses, user) {
  await forgetOthers(user);
  if (!user) return; // no one logged in: nothing of anyone's is kept
  const pages = await caches.open(KEPT + user);
  const files = await caches.open(FILES);
  const fetchOne = async (url) => {
    if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
    if (isCamera(url)) return;
    if (isFile(url)) {
      if (await files.match(url, { ignoreVary: true })) return;
      // In an older version's cache: the same bytes (the address is versioned), copied over so
      // that this version's cache holds every file its kept pages name.
      const older = await matching(url);
      if (older) return files.put(url, older);
    }
    const response = await fetch(url, { credentials: "include" }).catch(() => null);
    // Offline, gone, or the login page (the login ended): keep what is kept.
    if (!response || !response.ok || here(response.url).pathname === "/login") return;
    if (isFile(url)) return files.put(url, response);
    const html = await response.text();
    if (ownerOf(html) !== user) return;
    const named = html.match(/\/(static|pictures)\/[^"'\s<>]+/g) || [];
    await Promise.all(named.map((address) => fetchOne(here(address.replace(/&amp;/g, "&")))));
    // A fresh Response (a followed redirect may not answer a navigation), of the decoded text;
    // kept at the address asked for and at the one it redirected to.
    const headers = new Headers(response.headers);
    headers.delete("content-encoding");
    headers.delete("content-length");
    const copy = () => new Response(html, { status: 200, headers });
    await pages.put(url, copy());
    if (response.url !== url.href) await pages.put(response.url, copy());
  };
  await Promise.all(addresses.map((address) => fetchOne(here(address))));
}

// A new version keeps fresh copies of the pages the older one kept (from the network: it is
// online, it just fetched /sw.js), so its cached pages name only files of its own version.
async function carryOver() {
  for (const name of await caches.keys()) {
    if (name.startsWith("backcoach-kept-") && !name.startsWith(KEPT)) {
      const user = userOf(name);
      const requests = await (await caches.open(name)).keys();
      await keep(requests.map((request) => request.url), user);
    }
  }
}

self.addEventListener("install", (event) => {
  const asNobody = (address) => new Request(address, { credentials: "omit" });
  event.waitUntil(
    caches
      .open(FILES)
      .then((files) => files.addAll(shell.map(asNobody)))
      .then(() => carryOver().catch(() => {})),
  );
});

// No skipWaiting: a new version takes over once no page of the older one is open, so an open
// page never loads files of another version; then the older caches go.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // The camera's copies of files this version no longer names (their bytes changed) go first.
      if (await caches.has(CAMERA)) {
        const files = await caches.open(CAMERA);
        for (const request of await files.keys()) {
          if (!current(here(request.url))) await files.delete(request);
        }
      }
      for (const name of await caches.keys()) {
        if (OWN.test(name) && name !== FILES && !name.startsWith(KEPT)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    // The kept page, else the same page kept with another query (?saved=1), else /offline.
    const samePage = () => caches.match(request, { ignoreVary: true, ignoreSearch: true });
    return (await matching(request)) || (await samePage()) || (await matching(offline)) ||
      Response.error();
  }
}

async function file(request) {
  const kept = await matching(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && here(request.url).searchParams.has("v")) {
    const files = await caches.open(FILES);
    await files.put(request, response.clone());
  }
  return response;
}

// A camera file: cache-first, in its own cache. A Range request passes through (its 206 is a part,
// never to be kept as the whole); only a whole answer (200) to this version's address is kept.
async function cameraFile(event) {
  const { request } = event;
  if (request.headers.has("range")) return fetch(request);
  const files = await caches.open(CAMERA);
  const kept = await files.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.status === 200 && current(here(request.url))) {
    event.waitUntil(files.put(request, response.clone())); // the page gets its stream meanwhile
  }
  return response;
}

async function forget() {
  for (const name of await caches.keys()) {
    if (name.startsWith("backcoach-kept-")) await caches.delete(name);
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = here(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.method !== "GET") {
    // Logging out forgets the kept pages (Clear-Site-Data "cache" leaves the Cache API alone).
    if (request.method === "POST" && url.pathname === "/logout") event.waitUntil(forget());
    // A form posted with no connection gets the offline page (it says to send it again), never
    // the browser's own error; nothing of it is kept here (the outbox keeps what it handles).
    else if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(async () => (await matching(offline)) || Response.error()));
    }
    return;
  }
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (isCamera(url)) event.respondWith(cameraFile(event));
  else if (isFile(url)) event.respondWith(file(request));
});

self.addEventListener("message", (event) => {
  const { type, urls, user } = event.data || {};
  if (type === "keep" && Array.isArray(urls)) event.waitUntil(keep(urls, String(user || "")));
});

self.addEventListener("sync", (event) => {
  if (event.tag === "backcoach-outbox") event.waitUntil(self.backcoachOutbox.flush());
});
