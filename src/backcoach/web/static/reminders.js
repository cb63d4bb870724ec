// Training-day reminders while backcoach is open (no Web Push: nothing reaches a closed app).
// On every page of someone logged in: once the person has allowed notifications, ask the server
// for today's reminder and show it once, at the chosen time, if today is a training day still
// to do. On the reminders page: the button that asks the browser for permission.
(function () {
  "use strict";
  var SHOWN_KEY = "backcoach.reminder.shown";
  var DAY_MS = 24 * 60 * 60 * 1000;
  var supported = "Notification" in window;

  function setUpButton() {
    var button = document.getElementById("allow-notifications");
    var status = document.getElementById("notification-status");
    if (!button || !status || !supported) {
      return;
    }
    function say() {
      var state = Notification.permission;
      status.textContent = button.dataset[state === "default" ? "ask" : state] || "";
      button.hidden = state !== "default";
    }
    button.addEventListener("click", function () {
      var asked = Notification.requestPermission(function () { say(); watch(); });
      if (asked && asked.then) {
        asked.then(function () { say(); watch(); });
      }
    });
    say();
  }

  function alreadyShown(day) {
    try {
      return window.localStorage.getItem(SHOWN_KEY) === day;
    } catch (error) {
      return false;
    }
  }

  function remember(day) {
    try {
      window.localStorage.setItem(SHOWN_KEY, day);
    } catch (error) {
      // Private mode without storage: the tag below still keeps one notification a day.
    }
  }

  function show(due) {
    if (alreadyShown(due.day)) {
      return;
    }
    remember(due.day);
    var note = new Notification(due.title, { body: due.body, tag: "backcoach-" + due.day });
    note.onclick = function () {
      window.focus();
      window.location.href = "/today";
    };
  }

  var watching = false;
  function watch() {
    if (watching || !supported || Notification.permission !== "granted") {
      return;
    }
    watching = true;
    fetch("/reminders/today.json", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (due) {
        if (!due || !due.enabled || !due.training_day || alreadyShown(due.day)) {
          return;
        }
        var wait = due.at_ms - Date.now();
        if (wait <= 0) {
          show(due);
        } else if (wait < DAY_MS) {
          window.setTimeout(function () { show(due); }, wait);
        }
      })
      .catch(function () { /* offline: the next page tries again */ });
  }

  setUpButton();
  watch();
})();
