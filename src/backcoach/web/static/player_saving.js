// backcoach session player, saving: each set, the finish and (on /session/planned) the start
// are kept on the phone at once through the outbox (outbox.js) and sent when the network lets
// it: "Saved on this phone", then "Sent". A page opened again (a reload offline, a new tab)
// gets back what the phone saved. Without the outbox (no IndexedDB) a form posts as it does
// without JavaScript. After player.js; player_steps.js may hook afterSave and restored.
"use strict";
(function () {
  const player = window.backcoachPlayer;
  if (!player) return;
  const announce = player.announce;
  const reduceMotion = player.reduceMotion;
  const startRest = player.startRest;
  // Every word this file shows (English only for now, as player.js).
  const WORDS = {
    onPhone: "Saved on this phone",
    sent: "Sent",
    notSent: "Not sent",
    notSaved: "Not saved",
    savedEarlier: "Saved earlier",
    update: "Update set ",
    set: ", set ",
    of: " of ",
    setsSaved: " sets saved",
    amount: "Type a whole number from 0 to ",
    felt: "Choose where you felt it.",
    load: "Type the load in kg, such as 7.5, from 0 to ",
    orEmpty: ", or leave it empty.",
    elsewhere: "This session was already finished on another device.",
    finishedHere: "The session is finished on this phone. It will be sent when you are back online.",
    answerAll: "Answer the three questions above to finish.",
    finishedSent: "The session is finished and sent.",
    started: "Session started. Your first exercise is below.",
  };

  const finishForm = document.querySelector("#finish form");
  const finishStatus = document.querySelector("[data-finish-status]");
  const startCard = document.querySelector("[data-planned-start]");
  // The server's id, or (a session started on this phone) its start's client id.
  let session = finishForm && finishForm.dataset.session ? Number(finishForm.dataset.session) : null;
  const latest = {}; // the last operation saved from each set form, by form id
  let finishing = null;

  const outbox = function () { return window.backcoachOutbox || null; };
  // For player_stops.js: the session its operations name (null until one is started here).
  player.sessionRef = function () { return session; };

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) {
      el.textContent = "";
      el.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".has-error").forEach(function (el) {
      el.classList.remove("has-error");
    });
  }

  function showErrors(form, errors, quiet) {
    clearErrors(form);
    let first = null;
    Object.keys(errors).forEach(function (name) {
      const slot = form.querySelector('[data-error-for="' + name + '"]') ||
        form.querySelector('[data-error-for="form"]');
      slot.textContent = errors[name];
      slot.hidden = false;
      const holder = slot.closest(".field, fieldset");
      if (holder) holder.classList.add("has-error");
      const input = form.querySelector('[name="' + name + '"]');
      if (input) {
        input.setAttribute("aria-invalid", "true");
        if (!first) first = input;
      }
    });
    if (first && !quiet) {
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "center", behavior: reduceMotion.matches ? "auto" : "smooth" });
    }
  }

  function setStatus(form, text, bad) {
    const status = form.querySelector("[data-status]");
    status.textContent = text;
    status.classList.toggle("not-saved", Boolean(bad));
  }

  function markSaved(form) {
    clearErrors(form);
    form.classList.add("saved");
    const number = form.querySelector('[name="number"]').value;
    const button = form.querySelector("[data-save]");
    button.textContent = WORDS.update + number;
    button.classList.remove("primary");
    const section = form.closest("[data-exercise]");
    if (section) {
      const count = document.querySelector('[data-count-for="' + section.dataset.exercise + '"]');
      const saved = section.querySelectorAll(".set-form.saved").length;
      if (count) count.textContent = saved + WORDS.of + section.dataset.planned + WORDS.setsSaved;
    }
  }

  // The set's body for POST /api/v1/sync, checked as far as the phone can: the server checks
  // the rest (a refusal then shows at the set, with the server's words).
  function setBody(form) {
    const data = new FormData(form);
    const unit = form.closest("[data-exercise]").dataset.unit;
    const text = function (name) { return String(data.get(name) || "").trim(); };
    const most = form.closest("[data-exercise]").dataset.limits.split(" ").map(Number);
    const body = { exercise_id: text("exercise_id"), number: Number(text("number")) };
    const errors = {};
    if (/^\d+$/.test(text(unit)) && Number(text(unit)) <= most[0]) body[unit] = Number(text(unit));
    else errors[unit] = WORDS.amount + most[0] + ".";
    if (text("felt")) body.felt = text("felt");
    else errors.felt = WORDS.felt;
    const load = text("load_kg").replace(",", ".");
    if (/^\d+(\.\d+)?$/.test(load) && Number(load) <= most[1]) body.load_kg = Number(load);
    else if (load) errors.load_kg = WORDS.load + most[1] + WORDS.orEmpty;
    if (/^\d+$/.test(text("rir")) && Number(text("rir")) <= most[2]) body.rir = Number(text("rir"));
    else if (text("rir")) errors.rir = WORDS.amount + most[2] + WORDS.orEmpty;
    // What the camera coach counted (camera_coach.js), kept beside what the person confirmed.
    if (unit === "reps" && /^\d+$/.test(text("camera_reps")) && Number(text("camera_reps")) <= most[0]) {
      body.camera_reps = Number(text("camera_reps"));
    }
    return { body: body, errors: errors };
  }

  function fill(form, body) {
    Object.keys(body).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        if (input.type === "radio") input.checked = input.value === String(body[name]);
        else if (input.type !== "hidden" || name === "camera_reps") input.value = String(body[name]);
      });
    });
  }

  function problemWords(problem) {
    if (problem.code === "session.finished") return { form: WORDS.elsewhere };
    const errors = {};
    (problem.errors && problem.errors.length ? problem.errors : [problem]).forEach(function (p) {
      errors[p.field || "form"] = p.detail;
    });
    return errors;
  }

  async function save(form) {
    const box = outbox();
    if (finishing) return;
    const checked = setBody(form);
    if (Object.keys(checked.errors).length) {
      showErrors(form, checked.errors);
      setStatus(form, form.classList.contains("saved") ? WORDS.savedEarlier : WORDS.notSaved, true);
      return;
    }
    const correcting = form.classList.contains("saved");
    let item;
    try {
      const name = form.closest("[data-exercise]").querySelector("h2").textContent;
      const label = name.replace(/^\d+\.\s*/, "") + WORDS.set + checked.body.number;
      item = await box.add({ op: "set", session: session, body: checked.body, label: label });
    } catch (error) {
      form.submit(); // no storage on this phone: posted as without JavaScript
      return;
    }
    latest[form.id] = item.id;
    markSaved(form);
    setStatus(form, WORDS.onPhone);
    startRest();
    if (window.backcoachPlayer.afterSave) window.backcoachPlayer.afterSave(form, correcting);
  }

  document.querySelectorAll("form.set-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!outbox()) return;
      event.preventDefault();
      save(form);
    });
  });

  // The server's id of this session, once known (a session started here: once its start is sent).
  function serverId(all) {
    return typeof session === "number" ? session : outbox().serverSession(all, session);
  }

  function ours(all, item) {
    if (item.op === "start") return item.id === session;
    if (item.session === session) return true;
    return typeof session === "number" && outbox().serverSession(all, item.session) === session;
  }

  function finished(text, bad) {
    finishStatus.textContent = text;
    finishStatus.hidden = false;
    finishStatus.classList.toggle("error", Boolean(bad));
    document.querySelectorAll("form.set-form [data-save]").forEach(function (b) { b.disabled = !bad; });
  }

  // Shows where each of this session's operations stands; on the first call (restoring) also
  // what was saved on this phone and not yet on the page (a page kept offline, a new tab).
  async function refresh(restoring) {
    const box = outbox();
    const all = await box.items();
    if (restoring && session === null) resume(all);
    if (session === null) return;
    all.filter(function (item) { return ours(all, item); }).forEach(function (item) {
      if (item.op === "finish") {
        finishing = item.state === "refused" ? null : item.id;
        if (item.state === "sent" && serverId(all) && navigator.onLine) {
          window.location.assign("/session/" + serverId(all) + "/done");
        } else if (item.state === "sent") {
          finished(WORDS.finishedSent);
        } else if (item.state === "refused") {
          finished(problemWords(item.answer || {}).form || (item.answer || {}).detail, true);
        } else finished(WORDS.finishedHere);
        return;
      }
      if (item.op !== "set") return;
      const form = document.getElementById("s-" + item.body.exercise_id + "-" + item.body.number);
      if (!form) return;
      if (restoring) {
        latest[form.id] = item.id;
        if (item.state !== "sent" || !form.classList.contains("saved")) {
          fill(form, item.body);
          markSaved(form);
        }
      }
      if (latest[form.id] !== item.id) return;
      if (item.state === "refused") {
        setStatus(form, WORDS.notSent, true);
        showErrors(form, problemWords(item.answer || {}), true);
      } else setStatus(form, item.state === "sent" ? WORDS.sent : WORDS.onPhone);
    });
    if (restoring && window.backcoachPlayer.restored) window.backcoachPlayer.restored();
  }

  // /session/planned: the start this phone made today and did not finish, if any.
  function resume(all) {
    const box = outbox();
    const today = new Date().toDateString();
    const started = all.filter(function (item) {
      return item.op === "start" && item.state !== "refused" &&
        new Date(item.at).toDateString() === today &&
        !all.some(function (f) {
          return f.op === "finish" && (f.session === item.id || f.session === box.serverSession(all, item.id));
        });
    }).pop();
    if (started) begin(started.id, started.body.pain_before);
  }

  function begin(id, painBefore) {
    session = id;
    startCard.hidden = true;
    document.querySelector("[data-player-area]").hidden = false;
    const high = document.querySelector("[data-high-pain]");
    if (high) high.hidden = painBefore < Number(high.dataset.highPain);
  }

  if (startCard) {
    const form = startCard.querySelector("form");
    form.addEventListener("submit", async function (event) {
      const box = outbox();
      const chosen = form.querySelector('[name="pain_before"]:checked');
      if (!box) return;
      event.preventDefault();
      if (!chosen) {
        form.querySelector("[data-start-error]").hidden = false;
        return;
      }
      let item;
      try {
        item = await box.add({ op: "start", body: { pain_before: Number(chosen.value) } });
      } catch (error) {
        form.submit();
        return;
      }
      begin(item.id, item.body.pain_before);
      announce(WORDS.started);
      // A high-pain day's advice comes first, as on the page of a session started online.
      const first = document.querySelector("[data-high-pain]:not([hidden])") ||
        document.querySelector("[data-player-bar], [data-step]");
      if (first) first.scrollIntoView({ block: "start" });
    });
  }

  if (finishForm) {
    finishForm.addEventListener("submit", async function (event) {
      const box = outbox();
      if (!box || session === null) return;
      event.preventDefault();
      const data = new FormData(finishForm);
      const body = { pain_during: data.get("pain_during"), pain_after: data.get("pain_after"),
        leg_symptoms: data.get("leg_symptoms") };
      if (!body.pain_during || !body.pain_after || !body.leg_symptoms) {
        finished(WORDS.answerAll, true);
        return;
      }
      body.pain_during = Number(body.pain_during);
      body.pain_after = Number(body.pain_after);
      try {
        finishing = (await box.add({ op: "finish", session: session, body: body })).id;
      } catch (error) {
        finishForm.submit();
        return;
      }
      finished(WORDS.finishedHere);
      await box.flush();
      refresh(false);
    });
  }

  // outbox.js runs after this file (base.html's scripts come last): start once it is there.
  document.addEventListener("DOMContentLoaded", function () {
    const box = outbox();
    if (!box) return;
    box.onchange(function () { refresh(false); });
    refresh(true);
  });
})();
