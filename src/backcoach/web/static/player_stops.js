// backcoach session player, "This hurts / I can't do it" with no connection: the stop is kept
// on the phone through the outbox (op "stop", the API's POST /sessions/{id}/stops) and sent
// later; the exercise shows as stopped at once, and again when the page is opened offline.
// Online the form posts as ever, and the server's page shows the easier version at once.
"use strict";
(function () {
  const player = window.backcoachPlayer;
  if (!player || !player.sessionRef) return;
  // Every word this file shows (English only for now, as player.js).
  const WORDS = {
    why: "Please choose why you are stopping.",
    skipped: "Skipped today. It is saved on this phone and sent when you are back online; " +
      "next time this exercise does not move up.",
    easier: "Saved on this phone. The easier version shows here once you are back online; " +
      "for now, go on with the next exercise.",
    stop: ", stopped",
  };
  const box = function () { return window.backcoachOutbox || null; };

  function stopped(section, action) {
    if (section.querySelector(".stopped")) return;
    section.querySelectorAll("form.set-form, details.stop, form.undo-stop").forEach(function (el) {
      el.hidden = true;
    });
    const note = document.createElement("div");
    note.className = "stopped";
    note.setAttribute("role", "status");
    note.textContent = action === "easier" ? WORDS.easier : WORDS.skipped;
    section.querySelector(".target").after(note);
  }

  document.querySelectorAll("details.stop form").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      const outbox = box();
      const session = player.sessionRef();
      if (navigator.onLine || !outbox || session === null) return; // posted as ever
      event.preventDefault();
      const reason = form.querySelector('[name="reason"]:checked');
      let error = form.querySelector(".error");
      if (!reason) {
        if (!error) {
          error = document.createElement("p");
          error.className = "error";
          form.querySelector("fieldset").before(error);
        }
        error.textContent = WORDS.why;
        return;
      }
      const action = (event.submitter && event.submitter.value) || "skip";
      const section = form.closest("[data-exercise]");
      const body = { exercise_id: form.querySelector('[name="exercise_id"]').value,
        reason: reason.value, action: action };
      const label = section.querySelector("h2").textContent.replace(/^\d+\.\s*/, "") + WORDS.stop;
      try {
        await outbox.add({ op: "stop", session: session, body: body, label: label });
      } catch (failed) {
        return; // no storage on this phone: nothing more to do with no connection
      }
      stopped(section, action);
    });
  });

  // A page opened again offline (kept before the stop) shows the stops this phone made.
  document.addEventListener("DOMContentLoaded", async function () {
    const outbox = box();
    const session = player.sessionRef();
    if (!outbox || session === null) return;
    const all = await outbox.items();
    all.forEach(function (item) {
      const mine = item.session === session || outbox.serverSession(all, item.session) === session;
      // Only those not sent yet: a sent one is on the server's page (the easier version shown).
      if (item.op !== "stop" || item.state !== "pending" || !mine) return;
      const input = document.querySelector(
        'details.stop [name="exercise_id"][value="' + item.body.exercise_id + '"]');
      if (input) stopped(input.closest("[data-exercise]"), item.body.action);
    });
  });
})();
