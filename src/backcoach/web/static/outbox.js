// backcoach outbox: what a person saves (a start, a set, a finish, a check-in, a tight moment)
// is kept in IndexedDB at once, under a client id and the phone's time, and sent in order
// through POST /api/v1/sync whenever the network lets it: on load, on "online", on Background
// Sync, and by a retry with backoff. The server does each client id once, so a replay is
// harmless. Runs in a page and in the service worker (sw.js imports it): the core uses no DOM.
"use strict";
(function (self) {
  const NAME = "backcoach-outbox"; // the database, the lock, the channel and the sync tag
  const WORDS = {
    heading: "Needs your choice",
    intro: "The server did not take these. Nothing else is lost.",
    discard: "Discard",
    elsewhere: "This session was already finished on another device.",
    saved: "Saved on this phone. It will be sent when you are back online.",
    ops: { start: "Starting a session", set: "A set", finish: "Finishing the session",
      checkin: "A check-in", tight: "A tight moment" },
  };
  const KEEP_SENT_MS = 2 * 86400000; // a page cached offline still shows what was sent
  const BATCH = 100;
  const listeners = [];
  const channel = self.BroadcastChannel ? new self.BroadcastChannel(NAME) : null;
  let opened = null;
  let me = null; // a page's person: { user, token }
  let failures = 0;
  let timer = 0;
  let busy = null; // this context's flush, where there are no Web Locks

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  async function store(name, write) {
    if (!opened) {
      const request = self.indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("items", { keyPath: "seq", autoIncrement: true });
        request.result.createObjectStore("keys");
      };
      opened = done(request);
    }
    return (await opened).transaction(name, write ? "readwrite" : "readonly").objectStore(name);
  }

  const put = async (item) => done((await store("items", true)).put(item));

  // Who sends: the page's person; in the worker, the person of the page that loaded last.
  async function who() {
    return me || (await done((await store("keys")).get("current"))) || {};
  }

  // This person's items in the order they were saved (sent ones included, for the pages).
  async function items() {
    const person = await who();
    const all = await done((await store("items")).getAll());
    return all.filter(function (item) { return item.user === person.user; });
  }

  async function pending() {
    return (await items()).filter(function (item) { return item.state !== "sent"; });
  }

  function uuid() {
    const crypto = self.crypto;
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // plain http on a LAN: no randomUUID
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // The phone's local time with its offset, so a session logged late at night lands that day.
  function localTime(date) {
    const offset = -date.getTimezoneOffset();
    const pad = function (n) { return String(Math.floor(n)).padStart(2, "0"); };
    const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 23);
    return local + (offset < 0 ? "-" : "+") + pad(Math.abs(offset) / 60) + ":" + pad(Math.abs(offset) % 60);
  }

  function changed() {
    listeners.forEach(function (listener) { listener(); });
    if (channel) channel.postMessage("changed");
  }
  if (channel) channel.onmessage = function () { listeners.forEach(function (l) { l(); }); };

  // op: { op: "start"|"set"|"finish"|"checkin"|"tight", session: server id or a start's id, body }
  async function add(op) {
    const person = await who();
    if (!person.user) throw new Error("nobody is logged in on this page");
    const item = { id: uuid(), at: localTime(new Date()), user: person.user, op: op.op,
      session: op.session === undefined ? null : op.session, body: op.body || {}, state: "pending" };
    item.seq = await put(item);
    changed();
    if (self.document && navigator.serviceWorker) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.sync) return registration.sync.register(NAME);
      }).catch(function () { /* no Background Sync here: "online" and the retry do it */ });
    }
    flush();
    return item;
  }

  async function discard(id) {
    const item = (await items()).find(function (i) { return i.id === id; });
    if (item) await done((await store("items", true)).delete(item.seq));
    changed();
  }

  // Sends what waits, a batch at a time, in order; true when nothing is left to send.
  async function send() {
    const person = await who();
    if (!person.user) return true;
    for (;;) {
      const mine = await items();
      const old = Date.now() - KEEP_SENT_MS;
      for (const item of mine) {
        if (item.state === "sent" && item.sentAt < old) await done((await store("items", true)).delete(item.seq));
      }
      const batch = mine.filter(function (item) { return item.state === "pending"; }).slice(0, BATCH);
      if (batch.length === 0) return true;
      const response = await fetch("/api/v1/sync", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json",
          "x-csrftoken": person.token || "" },
        body: JSON.stringify(batch.map(function (item) {
          return { client_id: item.id, client_at: item.at, op: item.op, session: item.session,
            body: item.body };
        })),
      });
      // Logged out, an old page token, the server down: keep everything and try later.
      if (!response.ok) throw new Error("sync answered " + response.status);
      const answers = await response.json();
      let again = false;
      for (let k = 0; k < batch.length; k += 1) {
        const answer = answers[k];
        if (!answer || answer.status >= 500 || answer.status === 429) {
          again = true;
          continue;
        }
        const item = batch[k];
        item.state = answer.status < 300 ? "sent" : "refused"; // a 4xx waits for the person
        item.status = answer.status;
        item.answer = answer.body;
        item.sentAt = Date.now();
        await put(item);
      }
      changed();
      if (again) throw new Error("some items must be sent again");
    }
  }

  function later() {
    failures += 1;
    self.clearTimeout(timer);
    const wait = Math.min(300000, 2000 * Math.pow(2, failures)) * (0.75 + Math.random() / 2);
    timer = self.setTimeout(function () { flush().catch(function () {}); }, wait);
  }

  // One flush at a time across tabs and the worker (Web Locks where present). In the worker a
  // failure rejects, so that Background Sync tries again.
  function flush() {
    const run = function () {
      return send().then(function () { failures = 0; return true; }, function (error) {
        later();
        if (!self.document) throw error;
        return false;
      });
    };
    if (self.navigator.locks) return self.navigator.locks.request(NAME, run);
    busy = (busy || Promise.resolve()).then(run, run);
    return busy;
  }

  // The start a session's client id named, once the server has answered it.
  function serverSession(all, session) {
    if (typeof session === "number") return session;
    const start = all.find(function (item) { return item.id === session; });
    return start && start.answer && start.answer.id ? start.answer.id : null;
  }

  self.backcoachOutbox = {
    add: add, flush: flush, pending: pending, items: items, discard: discard,
    serverSession: serverSession, WORDS: WORDS,
    onchange: function (listener) { listeners.push(listener); },
  };
  if (!self.document) return;

  // --- a page ---------------------------------------------------------------------------------
  const meta = function (name) {
    const tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : "";
  };
  if (meta("backcoach-user")) {
    me = { user: meta("backcoach-user"), token: meta("csrf-token") };
    store("keys", true).then(function (keys) { keys.put(me, "current"); });
  }
  self.addEventListener("online", function () { flush(); });

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  // What the server refused, with its words and a way to let it go: never dropped unseen.
  let panel = null;
  async function showRefused() {
    const refused = (await items()).filter(function (item) { return item.state === "refused"; });
    if (panel) panel.remove();
    panel = null;
    if (refused.length === 0) return;
    panel = element("section", "", "card notice-card outbox-refused");
    panel.setAttribute("aria-labelledby", "outbox-heading");
    const heading = panel.appendChild(element("h2", WORDS.heading));
    heading.id = "outbox-heading";
    panel.appendChild(element("p", WORDS.intro));
    const list = panel.appendChild(element("ul"));
    refused.forEach(function (item) {
      const row = list.appendChild(element("li"));
      const problem = item.answer || {};
      const what = WORDS.ops[item.op] + (item.body.number ? " (" + item.body.exercise_id +
        ", set " + item.body.number + ")" : "") + ": ";
      const why = problem.code === "session.finished" ? WORDS.elsewhere : problem.detail || "";
      row.appendChild(element("span", what + why + " "));
      const button = row.appendChild(element("button", WORDS.discard));
      button.type = "button";
      button.addEventListener("click", function () { discard(item.id); });
    });
    const main = document.querySelector("main");
    if (main) main.insertBefore(panel, main.firstChild);
  }
  listeners.push(showRefused);

  // A form marked data-outbox (Today's start, the check-in, a tight moment) is queued rather
  // than posted; once sent, the page goes where the post would have led (data-then).
  function body(form) {
    const values = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrftoken") return;
      const number = /^\d+$/.test(value) ? Number(value) : value;
      if (form.dataset.answers !== undefined && (value === "yes" || value === "no")) {
        values.answers = values.answers || {};
        values.answers[name] = value === "yes";
      } else values[name] = number;
    });
    return values;
  }

  document.querySelectorAll("form[data-outbox]").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      if (!form.checkValidity() || !me) return; // the server names what is missing
      event.preventDefault();
      const session = form.dataset.session;
      const item = await add({ op: form.dataset.outbox, body: body(form),
        session: session ? Number(session) : null });
      let status = form.querySelector("[data-outbox-status]");
      if (!status) {
        status = form.appendChild(element("p", "", "outbox-status"));
        status.dataset.outboxStatus = "";
        status.setAttribute("role", "status");
      }
      status.textContent = WORDS.saved;
      await flush();
      const now = (await items()).find(function (i) { return i.id === item.id; });
      if (now && now.state === "sent" && form.dataset.then) {
        const answer = now.answer || {};
        const referred = answer.screening && answer.screening.refer;
        window.location.assign(referred ? "/onboarding/referral" :
          form.dataset.then.replace("{id}", answer.id));
      } else if (now && now.state === "pending" && form.dataset.offline) {
        window.location.assign(form.dataset.offline);
      }
    });
  });

  flush().then(showRefused);
})(self);
