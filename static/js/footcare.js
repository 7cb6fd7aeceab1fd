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

  document.addEventListener("htmx:sendError", (event) => {
    const verb = (event.detail.requestConfig && event.detail.requestConfig.verb) || "get";
    if (verb === "get") {
      // A part of the page that did not load (the suggestions again after a check-in):
      // offline, the offline banner already says so, and nothing was being saved.
      if (!navigator.onLine) return;
      showRequestError("We could not reach Footcare to load part of this page. Check your connection and reload.");
      return;
    }
    showRequestError("We could not reach Footcare. Check your connection and try again; nothing was saved.");
  });
  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    showRequestError(`That did not work (error ${status}). Nothing was changed; please try again.`);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) clearRequestError();
  });

  // Forms marked data-drop-empty-params leave unused fields out of a GET, so the pushed
  // URL a runner shares reads /exercises/?condition=shin-splints, not a row of blanks.
  document.addEventListener("htmx:configRequest", (event) => {
    const source = event.detail.elt;
    if (event.detail.verb !== "get" || !source.closest("[data-drop-empty-params]")) return;
    const data = event.detail.formData;
    for (const name of new Set(data.keys())) {
      if (data.getAll(name).every((value) => value === "")) data.delete(name);
    }
  });

  // After the library's results change in place: say the new count to screen readers,
  // and when the link that asked (a page number) was itself replaced, carry on from the
  // results' heading instead of losing focus to the top of the document.
  document.addEventListener("htmx:afterSettle", (event) => {
    const heading = document.getElementById("results-heading");
    const status = document.getElementById("results-status");
    // History restores settle too, with no target: nothing to announce then.
    const target = event.detail && event.detail.target;
    if (!heading || !target || target.id !== "results") return;
    const count = heading.textContent.replace(/\s+/g, " ").trim();
    if (status) status.textContent = count;
    // The count at the foot of the filters, in sight of the filter just changed.
    const footCount = document.getElementById("filter-count");
    const number = count.match(/^\d+ exercises?/);
    if (footCount && number) footCount.textContent = number[0];
    // detail.elt is the settled element; the one that asked is in the request config.
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && !document.body.contains(source)) {
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  });
})();

// A swap replaces its target whole, and words that arrive inside new content are not read
// out: what the target marks data-announce (the check-in's answer, what Apply or Undo did) is
// said through the page's live region, which was there before the swap. The suggestions'
// Apply and Undo buttons go with their swap: carry on from the change just applied (its
// Undo), else from the message, else from the block's heading.
document.addEventListener("htmx:afterSettle", (event) => {
  const config = event.detail && event.detail.requestConfig;
  const target = config && config.headers && config.headers["HX-Target"];
  const block = target && document.getElementById(target);
  if (!block) return;
  const said = block.querySelector("[data-announce]");
  const live = document.getElementById("swap-status");
  if (live && said) live.textContent = said.textContent.replace(/\s+/g, " ").trim();
  if (target !== "suggestions" || (config.elt && document.body.contains(config.elt))) return;
  const next =
    block.querySelector("[data-suggestions-focus]") ||
    (said && said.tabIndex === -1 ? said : null) ||
    document.getElementById("suggestions-title");
  if (next) next.focus();
});

// The library's filters arrive folded and the stylesheet shows them on a wide screen; a
// browser that cannot (no ::details-content) gets them opened here instead.
document.addEventListener("DOMContentLoaded", () => {
  if (CSS.supports("selector(::details-content)")) return;
  if (!window.matchMedia("(min-width: 40rem)").matches) return;
  for (const details of document.querySelectorAll(".filter-more")) details.open = true;
});

// A form that came back with errors lists them at its top (forms/_error_summary.html).
// Start there, so the runner sees and hears what to fix; each entry links to its field.
(() => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Following an entry focuses its field with the field's label in view above it, where a
  // plain jump to the anchor would put the input at the very top, its label cut off.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    const question = field.closest("fieldset") || (field.labels && field.labels[0]) || field;
    question.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
