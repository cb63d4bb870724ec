// backcoach: small progressive enhancements; every page works without JavaScript.
"use strict";
(function () {
  // Move focus to the error summary so screen readers announce what to fix.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // The device's time zone for the sign-up form (the server keeps it if it knows it).
  const zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("input[data-device-zone]").forEach(function (input) {
    if (!input.value && zone) input.value = zone;
  });
})();
