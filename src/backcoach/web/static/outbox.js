// backcoach's outbox in IndexedDB, sent in order through POST /api/v1/sync; for pages and the
// service worker (no DOM in its core). docs/web.md: "Offline logging and conflicts".
"use strict";
((self) => {
  const NAME = "backcoach-outbox"; // database, lock, channel and sync tag
  const WORDS = {
    heading: "Needs your choice",
    intro: "The server did not take these. Nothing else is lost.",
    discard: "Discard",
    elsewhere: "This session was already finished on another device.",
    saved: "Saved on this phone. It will be sent when you are back online.",
    urgent: "You answered yes to a warning sign: if you feel unwell or it is getting worse, " +
      "call a doctor or emergency services now.",
    ops: { start: "Starting a session", set: "A set", finish: "Finishing the session",
      checkin: "A check-in", tight: "A tight moment", stop: "Stopping an exercise" },
  };
  const KEEP_SENT_MS = 2 * 864e5; // a page kept offline still shows what was sent
  const listeners = [];
  const channel = self.BroadcastChannel ? new BroadcastChannel(NAME) : null;
  let opened = null;
  let me = null; // a page's { user, token }
  let failures = 0;
  let timer = 0;

  const done = (r) => new Promise((ok, no) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
  async function store(name, write) {
    if (!opened) {
      const r = indexedDB.open(NAME, 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore("items", { keyPath: "seq", autoIncrement: true });
        r.result.createObjectStore("keys");
      };
      opened = done(r);
    }
    return (await opened).transaction(name, write ? "readwrite" : "readonly").objectStore(name);
  }
  const put = async (item) => done((await store("items", 1)).put(item));
  const drop = async (item) => done((await store("items", 1)).delete(item.seq));
  // The page's person; in the worker, the last page's.
  const who = async () => me || (await done((await store("keys")).get("current"))) || {};
  // This person's items, oldest first, sent ones too.
  async function items() {
    const user = (await who()).user;
    return (await done((await store("items")).getAll())).filter((i) => i.user === user);
  }
  const pending = async () => (await items()).filter((i) => i.state !== "sent");

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // plain http
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
  // Local time with its offset: a session logged late at night lands on that day.
  function localTime(d) {
    const off = -d.getTimezoneOffset();
    const pad = (n) => String(Math.floor(n)).padStart(2, "0");
    return new Date(d.getTime() + off * 6e4).toISOString().slice(0, 23) +
      (off < 0 ? "-" : "+") + pad(Math.abs(off) / 60) + ":" + pad(Math.abs(off) % 60);
  }

  const tell = () => listeners.forEach((l) => l());
  function changed() {
    tell();
    if (channel) channel.postMessage(1);
  }
  if (channel) channel.onmessage = tell;

  // op: { op: "start"|"set"|"finish"|"checkin"|"tight"|"stop", session: a server id or a start's id,
  // body, label: what it is in the person's words, as "Glute bridge, set 2" }
  async function add(op) {
    const user = (await who()).user;
    if (!user) throw new Error("nobody is logged in");
    const item = { id: uuid(), at: localTime(new Date()), user, op: op.op,
      session: op.session ?? null, body: op.body || {}, label: op.label, state: "pending" };
    item.seq = await put(item);
    changed();
    if (self.document && navigator.serviceWorker) {
      navigator.serviceWorker.ready.then((r) => r.sync && r.sync.register(NAME)).catch(() => {});
    }
    flush();
    return item;
  }

  async function discard(id) {
    const item = (await items()).find((i) => i.id === id);
    if (item) await drop(item);
    changed();
  }

  async function send() {
    const token = (await who()).token || "";
    for (;;) {
      const mine = await items();
      for (const i of mine) if (i.state === "sent" && i.sentAt < Date.now() - KEEP_SENT_MS) await drop(i);
      const batch = mine.filter((i) => i.state === "pending").slice(0, 100);
      if (!batch.length) return;
      const response = await fetch("/api/v1/sync", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "x-csrftoken": token },
        body: JSON.stringify(batch.map((i) => ({ client_id: i.id, client_at: i.at, op: i.op,
          session: i.session, body: i.body }))),
      });
      // Logged out, an old token, the server down: kept, tried later.
      if (!response.ok) throw new Error("sync " + response.status);
      const answers = await response.json();
      let again = false;
      for (const [k, item] of batch.entries()) {
        const a = answers[k];
        if (!a || a.status >= 500 || a.status === 429) {
          again = true;
          continue;
        }
        // A 4xx is a refusal: kept, shown, until the person discards it.
        Object.assign(item, { state: a.status < 300 ? "sent" : "refused", status: a.status,
          answer: a.body, sentAt: Date.now() });
        await put(item);
      }
      changed();
      if (again) throw new Error("to send again");
    }
  }

  // One at a time across tabs and the worker. In the worker a failure rejects (Background
  // Sync then tries again).
  function flush() {
    const run = () => send().then(() => {
      failures = 0;
      return true;
    }, (error) => {
      failures += 1;
      clearTimeout(timer);
      const wait = Math.min(3e5, 2000 * 2 ** failures) * (0.75 + Math.random() / 2);
      timer = setTimeout(() => flush().catch(() => {}), wait);
      if (!self.document) throw error;
      return false;
    });
    // Without Web Locks two may overlap: a replay is harmless.
    return navigator.locks ? navigator.locks.request(NAME, run) : run();
  }

  // The server's id of a session named by a start's client id, once answered.
  function serverSession(all, session) {
    if (typeof session === "number") return session;
    const start = all.find((i) => i.id === session);
    return (start && start.answer && start.answer.id) || null;
  }

  self.backcoachOutbox = { add, flush, pending, items, discard, serverSession, WORDS,
    onchange: (listener) => listeners.push(listener) };
  if (!self.document) return;

  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  if (meta("backcoach-user")) {
    me = { user: meta("backcoach-user"), token: meta("csrf-token") };
    store("keys", 1).then((keys) => keys.put(me, "current"));
  }
  addEventListener("online", () => flush());
  const element = (tag, text, className) => {
    const made = document.createElement(tag);
    made.textContent = text || "";
    if (className) made.className = className;
    return made;
  };

  // What the server refused, with its words and Discard: never dropped unseen.
  let panel = null;
  async function showRefused() {
    const refused = (await items()).filter((i) => i.state === "refused");
    if (panel) panel.remove();
    panel = null;
    if (!refused.length) return;
    panel = element("section", "", "card notice-card outbox-refused");
    panel.setAttribute("aria-labelledby", "outbox-heading");
    panel.appendChild(element("h2", WORDS.heading)).id = "outbox-heading";
    panel.appendChild(element("p", WORDS.intro));
    const list = panel.appendChild(element("ul"));
    refused.forEach((item) => {
      const row = list.appendChild(element("li"));
      const problem = item.answer || {};
      const what = WORDS.ops[item.op] + (item.label ? ` (${item.label})` : "");
      const why = problem.code === "session.finished" ? WORDS.elsewhere : problem.detail || "";
      row.appendChild(element("span", `${what}: ${why} `));
      const button = row.appendChild(element("button", WORDS.discard));
      button.type = "button";
      button.setAttribute("aria-label", `${WORDS.discard}: ${what}`);
      button.addEventListener("click", () => discard(item.id));
    });
    const top = document.querySelector("main h1");
    if (top) top.after(panel);
  }
  listeners.push(showRefused);

  // A form[data-outbox] is queued; once sent, the page goes to data-then (as the post would),
  // still offline to data-offline. An incomplete form posts: the server says what is missing.
  function body(form) {
    const values = {};
    new FormData(form).forEach((value, name) => {
      if (name === "csrftoken") return;
      if (form.dataset.answers !== undefined && /^(yes|no)$/.test(value)) {
        values.answers = values.answers || {};
        values.answers[name] = value === "yes";
      } else values[name] = /^\d+$/.test(value) ? Number(value) : value;
    });
    return values;
  }
  document.querySelectorAll("form[data-outbox]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (!form.checkValidity() || !me) return;
      event.preventDefault();
      const data = form.dataset;
      const item = await add({ op: data.outbox, body: body(form),
        session: data.session ? Number(data.session) : null }).catch(() => form.submit());
      if (!item) return; // no IndexedDB: posted
      const status = form.querySelector("[data-outbox-status]") ||
        form.appendChild(element("p", "", "outbox-status"));
      status.dataset.outboxStatus = "";
      status.setAttribute("role", "status");
      const warned = Object.values(item.body.answers || {}).includes(true);
      status.textContent = WORDS.saved + (warned ? " " + WORDS.urgent : "");
      await flush();
      const now = (await items()).find((i) => i.id === item.id) || {};
      const answer = now.answer || {};
      if (now.state === "sent" && data.then) {
        location.assign(answer.screening && answer.screening.refer ? "/onboarding/referral" :
          data.then.replace("{id}", answer.id));
      } else if (now.state === "pending" && data.offline) location.assign(data.offline);
      else if (now.state === "refused") {
        await discard(now.id); // the post gets the server's page for it
        form.submit();
      }
    });
  });

  flush().then(showRefused);
})(self);
