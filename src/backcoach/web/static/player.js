// backcoach session player: the rest and hold timers, a beep and a buzz when the rest is over,
// the screen kept awake, spoken cues if asked for. player_saving.js saves the sets (through the
// outbox), player_steps.js shows one exercise at a time for a phone propped on the floor.
// Without JavaScript every set form posts on its own and the page comes back at the exercise.
"use strict";
(function () {
  // Every word this file shows or says (English only for now, as player_steps.js).
  const WORDS = {
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

  // What player_saving.js and player_steps.js use of this file; player_steps.js's hooks after
  // a save and after sets restored from the outbox.
  window.backcoachPlayer = {
    announce: announce, say: say, voiceOn: voiceOn, keepAwake: keepAwake,
    releaseAwake: releaseAwake, reduceMotion: reduceMotion, VOICE_KEY: VOICE_KEY,
    startRest: startRest, afterSave: null, restored: null,
  };
})();
