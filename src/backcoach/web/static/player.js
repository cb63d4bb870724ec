// backcoach session player: saves each set without a reload, runs the rest and hold timers, and
// shows one exercise at a time for a phone propped on the floor (big +/- for the amount, a beep
// and a buzz when the rest is over, the screen kept awake, spoken cues if asked for).
// Without JavaScript every set form posts on its own and the page comes back at the exercise.
"use strict";
(function () {
  // Every word this file shows or says (English only for now, as player_steps.js).
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
    close: "Close",
    skipRest: "Skip rest",
    restOver: "Rest over. Start your next set when you are ready.",
    restOverSaid: "Rest over. Next set when you are ready.",
    rest: "Rest ",
    secondsStarted: " seconds started.",
    seconds: " seconds.",
    restSkipped: "Rest skipped.",
    go: "Go.",
    time: "Time.",
    stopTimer: "Stop timer",
    startTimer: "Start timer",
    timerStarted: "Timer started. Press Stop timer when you finish.",
    heldThenSave: " seconds. Now choose where you felt it and save the set.",
  };
  const announcer = document.getElementById("player-announce");
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const REST_KEY = "backcoach.rest-seconds";
  const VOICE_KEY = "backcoach.voice";

  // Screen readers hear only starts and ends, never the seconds ticking by.
  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 60);
  }

  function clock(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  // --- sound, vibration, voice and a screen kept awake -------------------------------------

  let audio = null;
  // Browsers start sound only after a tap: the context is made (or woken) on the first one.
  function unlockAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      if (!audio) audio = new Context();
      if (audio.state === "suspended") audio.resume();
    } catch (error) { audio = null; }
  }
  document.addEventListener("pointerdown", unlockAudio, { passive: true });
  document.addEventListener("keydown", unlockAudio);

  // A short generated tone (no sound file).
  function beep(times) {
    if (!audio || audio.state !== "running") return;
    for (let i = 0; i < times; i += 1) {
      const start = audio.currentTime + i * 0.3;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      tone.connect(gain).connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.22);
    }
  }

  function buzz(pattern) {
    if (navigator.vibrate) navigator.vibrate(pattern);
  }

  function voiceOn() {
    try { return window.localStorage.getItem(VOICE_KEY) === "on"; } catch (error) { return false; }
  }

  // Spoken cues and counting: off unless the person turns them on (remembered on this device).
  function say(text) {
    if (!voiceOn() || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  let wakeLock = null;
  async function keepAwake() {
    if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", function () { wakeLock = null; });
    } catch (error) { wakeLock = null; } // refused (battery saver): the page still works
  }
  function releaseAwake() {
    if (wakeLock) wakeLock.release().catch(function () { /* already released */ });
    wakeLock = null;
  }

  // --- saving a set, through the outbox (outbox.js) ----------------------------------------
  // Each save is kept on the phone at once and sent when the network lets it; a correction is
  // a new operation for the same set number (the server keeps the latest). Without the outbox
  // (no IndexedDB) a form posts as it does without JavaScript.

  const finishForm = document.querySelector("#finish form");
  const finishStatus = document.querySelector("[data-finish-status]");
  const startCard = document.querySelector("[data-planned-start]");
  // The server's id, or (a session started on this phone) its start's client id.
  let session = finishForm && finishForm.dataset.session ? Number(finishForm.dataset.session) : null;
  const latest = {}; // the last operation saved from each set form, by form id
  let finishing = null;

  const outbox = function () { return window.backcoachOutbox || null; };

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
    return { body: body, errors: errors };
  }

  function fill(form, body) {
    Object.keys(body).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        if (input.type === "radio") input.checked = input.value === String(body[name]);
        else if (input.type !== "hidden") input.value = String(body[name]);
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
      const first = document.querySelector("[data-player-bar], [data-step]");
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

  // --- rest timer ---------------------------------------------------------------------------

  const rest = document.getElementById("rest-timer");
  let restStarted = 0;
  let restTick = null;

  function restSeconds() {
    const checked = rest.querySelector('input[name="rest"]:checked');
    return checked ? Number(checked.value) : 90;
  }

  function stopRest() {
    if (restTick !== null) window.clearInterval(restTick);
    restTick = null;
  }

  function tickRest() {
    const total = restSeconds();
    const left = Math.max(0, total - Math.floor((Date.now() - restStarted) / 1000));
    rest.querySelector("[data-rest-count]").textContent = clock(left);
    if (left === 0) {
      stopRest();
      rest.classList.add("over");
      rest.querySelector("[data-rest-stop]").textContent = WORDS.close;
      announce(WORDS.restOver);
      say(WORDS.restOverSaid);
      beep(3);
      buzz([200, 100, 200]);
    }
  }

  function startRest() {
    if (!rest) return;
    stopRest();
    restStarted = Date.now();
    rest.hidden = false;
    rest.classList.remove("over");
    rest.querySelector("[data-rest-stop]").textContent = WORDS.skipRest;
    announce(WORDS.rest + restSeconds() + WORDS.secondsStarted);
    say(WORDS.rest + restSeconds() + WORDS.seconds);
    tickRest();
    restTick = window.setInterval(tickRest, 250); // from the clock, so a sleeping tab catches up
  }

  if (rest) {
    let stored = null;
    try { stored = window.localStorage.getItem(REST_KEY); } catch (error) { stored = null; }
    rest.querySelectorAll('input[name="rest"]').forEach(function (radio) {
      if (stored && radio.value === stored) radio.checked = true;
      radio.addEventListener("change", function () {
        try { window.localStorage.setItem(REST_KEY, radio.value); } catch (error) { /* private */ }
        if (restTick !== null) tickRest();
      });
    });
    rest.querySelector("[data-rest-stop]").addEventListener("click", function () {
      const running = restTick !== null;
      stopRest();
      rest.hidden = true;
      if (running) announce(WORDS.restSkipped);
    });
  }

  // --- hold timer (exercises dosed in seconds) ------------------------------------------------

  document.querySelectorAll("[data-hold]").forEach(function (box) {
    const button = box.querySelector("[data-hold-toggle]");
    const count = box.querySelector("[data-hold-count]");
    const input = document.getElementById(button.getAttribute("aria-controls"));
    let started = 0;
    let tick = null;
    box.hidden = false;
    button.addEventListener("click", function () {
      if (tick === null) {
        started = Date.now();
        count.textContent = "0 s";
        const section = box.closest("[data-exercise]");
        const top = section ? Number(section.dataset.top) : 0;
        let said = 0;
        say(WORDS.go);
        tick = window.setInterval(function () {
          const seconds = Math.floor((Date.now() - started) / 1000);
          count.textContent = seconds + " s";
          if (seconds > said && seconds % 10 === 0) say(String(seconds));
          if (top && seconds === top && said < top) { beep(2); buzz(200); say(WORDS.time); }
          said = Math.max(said, seconds);
        }, 250);
        button.textContent = WORDS.stopTimer;
        box.classList.add("running");
        announce(WORDS.timerStarted);
      } else {
        window.clearInterval(tick);
        tick = null;
        const seconds = Math.round((Date.now() - started) / 1000);
        input.value = String(seconds);
        count.textContent = seconds + " s";
        button.textContent = WORDS.startTimer;
        box.classList.remove("running");
        announce(seconds + WORDS.heldThenSave);
        say(seconds + WORDS.seconds);
      }
    });
  });

  // What player_steps.js (one exercise at a time) uses of this file, and its hook after a save.
  window.backcoachPlayer = {
    announce: announce, say: say, voiceOn: voiceOn, keepAwake: keepAwake,
    releaseAwake: releaseAwake, reduceMotion: reduceMotion, VOICE_KEY: VOICE_KEY,
    afterSave: null,
  };
})();
