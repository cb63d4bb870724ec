// backcoach session player, one exercise at a time (after player.js, which saves the sets and
// runs the timers): for a phone propped on the floor, each exercise full width with its set in
// reach, big - and + for the amount, Previous/Next, a swipe, the list of exercises, focus and
// announcements for a screen reader, spoken cues if asked for, and the screen kept awake.
// Without JavaScript the page is the plain list of forms.
"use strict";
(function () {
  const player = window.backcoachPlayer;
  if (!player) return;
  const announce = player.announce;
  const say = player.say;
  const voiceOn = player.voiceOn;
  const VOICE_KEY = player.VOICE_KEY;

  const bar = document.querySelector("[data-player-bar]");
  const index = document.getElementById("exercise-index");
  // On a high-pain day the strength exercises are folded away: the page stays a plain list.
  const steps = document.querySelector(".not-today") ? [] :
    Array.prototype.slice.call(document.querySelectorAll("[data-step]"));
  const finish = document.getElementById("finish");
  const tools = document.querySelector("[data-player-tools]");
  let current = -1;

  function unitWord(step) {
    return { reps: "rep", seconds: "second", steps: "step" }[step.dataset.unit] || "rep";
  }

  function setForms(step) {
    return Array.prototype.slice.call(step.querySelectorAll("form.set-form"));
  }

  // The set in progress: the first not saved yet (all saved: the last).
  function currentSet(step) {
    const forms = setForms(step);
    return forms.find(function (form) { return !form.classList.contains("saved"); }) ||
      forms[forms.length - 1] || null;
  }

  // The set buttons appear once a set is saved (there is then one to go back to).
  function showSet(step, shown) {
    const forms = setForms(step);
    forms.forEach(function (form) { form.hidden = form !== shown; });
    const some = forms.some(function (form) { return form.classList.contains("saved"); });
    step.classList.toggle("some-saved", some);
    const chips = step.querySelector(".set-chips");
    if (chips) chips.hidden = !some;
    step.querySelectorAll("[data-set-chip]").forEach(function (chip) {
      const form = document.getElementById(chip.getAttribute("aria-controls"));
      chip.setAttribute("aria-pressed", form === shown ? "true" : "false");
      chip.textContent = chip.dataset.number + (form.classList.contains("saved") ? " ✓" : "");
      chip.setAttribute("aria-label", "Set " + chip.dataset.number +
        (form.classList.contains("saved") ? ", saved" : ""));
    });
  }

  // Buttons to go back to a set already saved (to correct it), one per set.
  function addSetChips(step) {
    const forms = setForms(step);
    if (forms.length < 2) return;
    const chips = document.createElement("div");
    chips.className = "set-chips";
    chips.setAttribute("role", "group");
    chips.setAttribute("aria-label", "Sets");
    forms.forEach(function (form) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.dataset.setChip = "";
      chip.dataset.number = form.querySelector('[name="number"]').value;
      chip.setAttribute("aria-controls", form.id);
      chip.addEventListener("click", function () { showSet(step, form); });
      chips.appendChild(chip);
    });
    forms[0].parentNode.insertBefore(chips, forms[0]);
    forms.forEach(function (form) { form.querySelector(".set-title").tabIndex = -1; });
    step.classList.add("has-chips");
  }

  // Big - and + either side of the amount; an empty amount starts at the bottom of the range,
  // never the top (a set saved without a look then holds the exercise, never moves it up).
  function addStepper(step, holder) {
    const input = holder.querySelector("input");
    if (!input) return;
    const row = document.createElement("div");
    row.className = "stepper";
    const less = document.createElement("button");
    const more = document.createElement("button");
    less.type = more.type = "button";
    less.textContent = "−";
    more.textContent = "+";
    less.setAttribute("aria-label", "One " + unitWord(step) + " fewer");
    more.setAttribute("aria-label", "One " + unitWord(step) + " more");
    less.setAttribute("aria-controls", input.id);
    more.setAttribute("aria-controls", input.id);
    input.parentNode.insertBefore(row, input);
    row.appendChild(less);
    row.appendChild(input);
    row.appendChild(more);
    if (!input.value && step.dataset.bottom) input.value = step.dataset.bottom;
    function change(by) {
      const now = parseInt(input.value, 10);
      const next = Math.max(0, (isNaN(now) ? Number(step.dataset.bottom || 0) : now) + by);
      input.value = String(next);
      announce(String(next));
      if (by > 0) say(String(next));
    }
    less.addEventListener("click", function () { change(-1); });
    more.addEventListener("click", function () { change(1); });
  }

  function where(step) {
    return "Exercise " + (steps.indexOf(step) + 1) + " of " + steps.length;
  }

  // "1 of 5" on the screen; "Exercise 1 of 5" to a screen reader.
  function showWhere(step) {
    const box = bar.querySelector("[data-where]");
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = "Exercise ";
    box.textContent = "";
    box.appendChild(hidden);
    box.appendChild(document.createTextNode((steps.indexOf(step) + 1) + " of " + steps.length));
  }

  function show(position, focus) {
    if (position < 0 || position >= steps.length) return;
    current = position;
    const step = steps[position];
    steps.forEach(function (other) { other.hidden = other !== step; });
    showSet(step, currentSet(step));
    showWhere(step);
    bar.querySelector("[data-prev]").disabled = position === 0;
    bar.querySelector("[data-next]").textContent = position === steps.length - 1 ? "Finish" : "Next";
    // The address names the exercise shown (a reload comes back to it); not on the first
    // showing, or the browser would scroll to that address once the page has loaded.
    if (focus && window.location.hash !== "#" + step.id) {
      window.history.replaceState(null, "", "#" + step.id);
    }
    const heading = step.querySelector("h2");
    const name = heading ? heading.textContent.trim() : "";
    if (focus) {
      bar.scrollIntoView({ block: "start", behavior: "auto" });
      if (heading) heading.focus({ preventScroll: true });
    }
    const target = step.querySelector(".target");
    const dose = target ? " " + target.textContent.trim() : "";
    if (focus) {
      announce(where(step) + ": " + name + "." + dose);
      say(name.replace(/^\d+\.\s*/, "") + "." + dose);
    }
  }

  // The finish form stays below the exercise shown (a person may stop at any time); past the
  // last exercise, "Next" goes to it.
  function move(by) {
    if (current + by >= steps.length) {
      finish.scrollIntoView({ block: "start", behavior: "auto" });
      finish.querySelector("h2").focus({ preventScroll: true });
      announce("Finish the session.");
      return;
    }
    show(current + by, true);
  }

  // After a set is saved: the next set, or, once every planned set is saved, the next exercise.
  function afterSave(form, correcting) {
    if (current < 0) return;
    const step = form.closest("[data-step]");
    if (!step || steps[current] !== step) return;
    const planned = Number(step.dataset.planned || 0);
    const saved = setForms(step).filter(function (f) { return f.classList.contains("saved"); });
    if (saved.length >= planned && !correcting) {
      if (current === steps.length - 1) {
        announce("All sets saved. Finish the session when you are ready.");
        return;
      }
      announce("All sets of this exercise saved.");
      show(current + 1, true);
      return;
    }
    const next = currentSet(step);
    showSet(step, next);
    if (!next || next === form) return;
    // Focus stays near: on the next set's button (its form replaced the one just saved).
    const chip = step.querySelector('[data-set-chip][aria-controls="' + next.id + '"]');
    (chip || next.querySelector(".set-title")).focus({ preventScroll: true });
  }

  // The step holding what the address points at (an exercise, a set, an error's field).
  function stepOf(hash) {
    if (!hash || hash.length < 2) return -1;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return -1;
    return steps.findIndex(function (step) { return step === target || step.contains(target); });
  }

  // Shows the step and the set holding what the address points at; returns that element.
  function reveal(hash) {
    const position = stepOf(hash);
    if (position < 0) return null;
    if (position !== current) show(position, false);
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    const form = target.closest("form.set-form");
    if (form) showSet(steps[position], form);
    return target;
  }

  // Where to start: the address's exercise, the one a refused form came back with (its
  // message shown), or the first with sets still to save.
  function firstStep() {
    const fromHash = stepOf(window.location.hash);
    if (fromHash >= 0) return fromHash;
    const refused = steps.findIndex(function (step) {
      return step.querySelector(".has-error, .error:not([hidden])") !== null;
    });
    if (refused >= 0) return refused;
    const open = steps.findIndex(function (step) {
      if (step.querySelector(".stopped")) return false;
      const saved = step.querySelectorAll("form.set-form.saved").length;
      return saved < Number(step.dataset.planned || 0);
    });
    return open >= 0 ? open : 0;
  }

  function startPlayer() {
    document.body.classList.add("player-on");
    bar.hidden = false;
    tools.hidden = false;
    index.hidden = true;
    steps.forEach(function (step) {
      step.querySelectorAll("[data-amount]").forEach(function (holder) { addStepper(step, holder); });
      addSetChips(step);
      const more = step.querySelector(".exercise-more");
      const onward = document.createElement("button");
      onward.type = "button";
      onward.className = "player-next primary";
      const last = steps.indexOf(step) === steps.length - 1;
      onward.textContent = last ? "Go to finish" : "Next exercise";
      onward.addEventListener("click", function () { move(1); });
      step.insertBefore(onward, more);
    });
    bar.querySelector("[data-prev]").addEventListener("click", function () { move(-1); });
    bar.querySelector("[data-next]").addEventListener("click", function () { move(1); });
    const list = tools.querySelector("[data-list]");
    list.addEventListener("click", function () {
      const opening = index.hidden;
      index.hidden = !opening;
      list.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening) index.querySelector("a").focus();
    });
    index.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      index.hidden = true;
      list.setAttribute("aria-expanded", "false");
      const position = stepOf(link.getAttribute("href"));
      if (position < 0) return; // the finish form: the browser goes there
      event.preventDefault();
      show(position, true);
    });
    // An error summary's link, or a link from elsewhere on the page, to a hidden step.
    window.addEventListener("hashchange", function () {
      const target = reveal(window.location.hash);
      if (target && target.focus) target.focus();
    });
    const voice = tools.querySelector("[data-voice]");
    if (!("speechSynthesis" in window)) voice.hidden = true;
    voice.setAttribute("aria-pressed", voiceOn() ? "true" : "false");
    voice.addEventListener("click", function () {
      const on = !voiceOn();
      try { window.localStorage.setItem(VOICE_KEY, on ? "on" : "off"); } catch (error) { /* private */ }
      voice.setAttribute("aria-pressed", on ? "true" : "false");
      if (!on && "speechSynthesis" in window) window.speechSynthesis.cancel();
      announce(on ? "Spoken cues on." : "Spoken cues off.");
      say("Spoken cues on.");
    });
    // A swipe left or right moves between exercises (the buttons do the same).
    let touch = null;
    document.querySelector("main").addEventListener("touchstart", function (event) {
      const t = event.changedTouches[0];
      touch = { x: t.clientX, y: t.clientY, at: Date.now() };
    }, { passive: true });
    document.querySelector("main").addEventListener("touchend", function (event) {
      if (!touch) return;
      const t = event.changedTouches[0];
      const dx = t.clientX - touch.x;
      const dy = t.clientY - touch.y;
      const quick = Date.now() - touch.at < 700;
      touch = null;
      if (quick && Math.abs(dx) > 70 && Math.abs(dy) < 50) move(dx < 0 ? 1 : -1);
    }, { passive: true });
    const address = window.location.hash;
    show(firstStep(), false);
    // The exercise fills the screen: past the page's title, unless a caution is to be read.
    if (!reveal(address) && !document.querySelector(".notice-card, .error-summary")) {
      bar.scrollIntoView({ block: "start", behavior: "auto" });
    }
    player.keepAwake();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") player.keepAwake();
    });
    window.addEventListener("pagehide", player.releaseAwake);
  }

  if (bar && tools && index && finish && steps.length > 0) {
    player.afterSave = afterSave;
    // Sets restored from the phone's outbox (player.js) after the start: the set in progress.
    player.restored = function () {
      const open = firstStep();
      if (open !== current) show(open, false);
      else if (current >= 0) showSet(steps[current], currentSet(steps[current]));
    };
    startPlayer();
  }
})();
