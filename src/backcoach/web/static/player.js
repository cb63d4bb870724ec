// backcoach session player: saves each set without a reload, runs the rest and hold timers, and
// shows one exercise at a time for a phone propped on the floor (big +/- for the amount, a beep
// and a buzz when the rest is over, the screen kept awake, spoken cues if asked for).
// Without JavaScript every set form posts on its own and the page comes back at the exercise.
"use strict";
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const token = meta ? meta.getAttribute("content") : "";
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

  // --- saving a set -------------------------------------------------------------------------

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

  function showErrors(form, errors) {
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
    if (first) {
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "center", behavior: reduceMotion.matches ? "auto" : "smooth" });
    }
  }

  function markSaved(form) {
    clearErrors(form);
    form.classList.add("saved");
    const number = form.querySelector('[name="number"]').value;
    const button = form.querySelector("[data-save]");
    button.textContent = "Update set " + number;
    button.classList.remove("primary");
    const status = form.querySelector("[data-status]");
    status.textContent = "Saved";
    status.classList.remove("not-saved");
    const section = form.closest("[data-exercise]");
    if (section) {
      const count = document.querySelector('[data-count-for="' + section.dataset.exercise + '"]');
      const saved = section.querySelectorAll(".set-form.saved").length;
      if (count) count.textContent = saved + " of " + section.dataset.planned + " sets saved";
    }
  }

  async function save(form) {
    const button = form.querySelector("[data-save]");
    const status = form.querySelector("[data-status]");
    const correcting = form.classList.contains("saved");
    button.disabled = true;
    status.textContent = "Saving…";
    status.classList.remove("not-saved");
    let response;
    let data = {};
    try {
      response = await fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "x-csrftoken": token },
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      data = await response.json().catch(function () { return {}; });
    } catch (error) {
      response = null;
    } finally {
      button.disabled = false;
    }
    if (response && response.ok && data.saved) {
      markSaved(form);
      startRest();
      if (window.backcoachPlayer.afterSave) window.backcoachPlayer.afterSave(form, correcting);
      return;
    }
    status.textContent = form.classList.contains("saved") ? "Saved earlier" : "Not saved";
    status.classList.toggle("not-saved", !form.classList.contains("saved"));
    if (response && response.redirected) {
      showErrors(form, { form: "Not saved: you have been logged out. Log in again in a new " +
        "tab, then come back here and press Save." });
    } else if (response && response.status === 409) {
      window.location.reload(); // finished in another tab: the page shows the result
    } else if (response && response.status === 422 && data.errors) {
      showErrors(form, data.errors);
    } else if (response) {
      showErrors(form, { form: "Not saved (the server said " + response.status + "). " +
        "Reload the page and try again." });
    } else {
      showErrors(form, { form: "Not saved: check your connection and press Save again. " +
        "What you typed is still here." });
    }
  }

  document.querySelectorAll("form.set-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
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
      rest.querySelector("[data-rest-stop]").textContent = "Close";
      announce("Rest over. Start your next set when you are ready.");
      say("Rest over. Next set when you are ready.");
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
    rest.querySelector("[data-rest-stop]").textContent = "Skip rest";
    announce("Rest " + restSeconds() + " seconds started.");
    say("Rest " + restSeconds() + " seconds.");
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
      if (running) announce("Rest skipped.");
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
        say("Go.");
        tick = window.setInterval(function () {
          const seconds = Math.floor((Date.now() - started) / 1000);
          count.textContent = seconds + " s";
          if (seconds > said && seconds % 10 === 0) say(String(seconds));
          if (top && seconds === top && said < top) { beep(2); buzz(200); say("Time."); }
          said = Math.max(said, seconds);
        }, 250);
        button.textContent = "Stop timer";
        box.classList.add("running");
        announce("Timer started. Press Stop timer when you finish.");
      } else {
        window.clearInterval(tick);
        tick = null;
        const seconds = Math.round((Date.now() - started) / 1000);
        input.value = String(seconds);
        count.textContent = seconds + " s";
        button.textContent = "Start timer";
        box.classList.remove("running");
        announce(seconds + " seconds. Now choose where you felt it and save the set.");
        say(seconds + " seconds.");
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
