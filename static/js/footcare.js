// Footcare's own behaviour, loaded on every page. No inline handlers: CSP allows only
// scripts carrying the page's nonce, so everything is wired up from here.
"use strict";

(() => {
  // When an htmx request fails (network down, server error), say so instead of leaving the
  // page silently unchanged; what the runner typed stays in the form for a retry.
  function showRequestError(text) {
    const box = document.getElementById("request-status");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }

  function clearRequestError() {
    const box = document.getElementById("request-status");
    if (box && !box.hidden) {
      box.hidden = true;
      box.textContent = "";
    }
  }

  document.addEventListener("htmx:sendError", () => {
    showRequestError("We could not reach Footcare. Check your connection and try again; nothing was saved.");
  });
  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    showRequestError(`That did not work (error ${status}). Nothing was changed; please try again.`);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) clearRequestError();
  });
})();

// Tell the stylesheet that scripts run, so it can hide buttons htmx makes unnecessary (a
// weekday's Save, sent on change instead); without JavaScript they stay and work.
document.documentElement.classList.add("js");
