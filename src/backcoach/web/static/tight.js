// backcoach, "I feel tight": a guided timer through the routine's drills (M6). Without this
// script the page still lists each drill with its demonstration and how long it takes.
"use strict";
(function () {
  const panel = document.querySelector("[data-routine-timer]");
  const drills = Array.from(document.querySelectorAll("[data-drill]"));
  if (!panel || drills.length === 0) return;

  const seconds = drills.map((drill) => Number(drill.dataset.seconds) || 0);
  const nameShown = panel.querySelector("[data-timer-drill]");
  const leftShown = panel.querySelector("[data-timer-left]");
  const totalShown = panel.querySelector("[data-timer-total]");
  const toggle = panel.querySelector("[data-timer-toggle]");
  const next = panel.querySelector("[data-timer-next]");
  const announcer = panel.querySelector("[data-timer-announce]");
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  let index = 0; // the drill under way
  let leftMs = seconds[0] * 1000; // what is left of it when paused
  let deadline = 0; // when it ends, while running (from the clock: a sleeping tab catches up)
  let tick = 0;
  let fresh = true; // not started since the page opened or the routine ended

  function clock(totalSeconds) {
    const whole = Math.max(0, Math.ceil(totalSeconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  function running() {
    return tick !== 0;
  }

  function left() {
    return running() ? Math.max(0, deadline - Date.now()) : leftMs;
  }

  function show() {
    const now = left() / 1000;
    let after = 0;
    for (let i = index + 1; i < seconds.length; i += 1) after += seconds[i];
    nameShown.textContent = drills[index].dataset.name;
    leftShown.textContent = clock(now);
    totalShown.textContent = clock(now + after);
    drills.forEach((drill, i) => {
      const current = !fresh && i === index; // outlined while running and while paused
      drill.classList.toggle("current", current);
      if (current) drill.setAttribute("aria-current", "step");
      else drill.removeAttribute("aria-current");
    });
  }

  // Only the starts and the end are said: a screen reader hears no ticking.
  function announce(text) {
    announcer.textContent = text;
  }

  function cue() {
    // A visual cue on each change (the drill is outlined and brought into view), and a short
    // buzz where the phone can (the screen is in the person's hand or propped on the floor).
    const top = drills[index].getBoundingClientRect().top + window.scrollY;
    window.scrollTo({
      top: top - panel.offsetHeight - 16, // just under the timer, which stays at the top
      behavior: reducedMotion ? "auto" : "smooth",
    });
    if (navigator.vibrate) navigator.vibrate(200);
    announce(announcer.dataset.drillWords.replace("{name}", drills[index].dataset.name));
  }

  function setToggle(word) {
    toggle.textContent = toggle.dataset[word];
  }

  function stop() {
    window.clearInterval(tick);
    tick = 0;
  }

  function start() {
    deadline = Date.now() + leftMs;
    tick = window.setInterval(onTick, 250);
    setToggle("pause");
  }

  function pause() {
    leftMs = left();
    stop();
    setToggle("resume");
    show();
  }

  function finish() {
    stop();
    index = 0;
    leftMs = seconds[0] * 1000;
    fresh = true;
    setToggle("start");
    show();
    leftShown.textContent = clock(0);
    totalShown.textContent = clock(0);
    announce(announcer.dataset.doneWords);
  }

  function moveOn() {
    if (index + 1 >= drills.length) {
      finish();
      return;
    }
    index += 1;
    leftMs = seconds[index] * 1000;
    if (running()) deadline = Date.now() + leftMs;
    show();
    cue();
  }

  function onTick() {
    if (left() <= 0) moveOn();
    else show();
  }

  toggle.addEventListener("click", function () {
    if (running()) {
      pause();
      return;
    }
    const first = fresh;
    fresh = false;
    start();
    show();
    if (first) cue();
  });
  next.addEventListener("click", moveOn);

  panel.hidden = false;
  show();
})();
