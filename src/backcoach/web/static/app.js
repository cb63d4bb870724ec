// backcoach: small progressive enhancements; every page works without JavaScript.
"use strict";
(function () {
  // Move focus to the error summary so screen readers announce what to fix.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
