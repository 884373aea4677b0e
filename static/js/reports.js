// Publishing can take a few seconds (charts, PDF, Word): say so instead of a silent wait.
(function () {
  "use strict";
  document.querySelectorAll("[data-publish-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var note = form.querySelector(".app-publish-progress");
      if (note) note.hidden = false;
    });
  });
})();
