// The weekly board. Its buttons and forms work without this file; it keeps keyboard and
// screen-reader users where they were when htmx swaps a day or the week in place.
"use strict";

(() => {
  let focusedId = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!event.target.closest(".plan-week, .copy-day")) return;
    const active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || !target.id) return;
    // An item opened for editing: start at its first field; closed again: back on Change.
    const item = target.id.startsWith("item-") ? document.getElementById(target.id) : null;
    if (item) {
      focusedId = null;
      const next = item.classList.contains("is-editing")
        ? item.querySelector("input:not([type=hidden]), select")
        : document.getElementById(`${item.id}-change`);
      if (next) next.focus();
      return;
    }
    if (!focusedId || !(target.id === "week" || target.id.startsWith("day-"))) return;
    const used = focusedId;
    const again = document.getElementById(used);
    focusedId = null;
    // The same control, found in the new fragment (Move up again, the item's Move): stay
    // on it; if it is now disabled (the item reached the top or the bottom), on the item's
    // other move button. An item that left (removed, or its last Move) hands focus to its
    // day's heading.
    const stay = again && again.disabled
      ? again.closest(".plan-item")?.querySelector("button:not(:disabled)")
      : again;
    if (stay) {
      stay.focus();
      return;
    }
    // An item moved to another day by its form's Move: follow it there, onto its Change.
    const moved = /^item-\d+-move$/.test(used)
      ? document.getElementById(used.replace(/-move$/, "-change"))
      : null;
    if (moved) {
      moved.focus();
      return;
    }
    const heading = document.querySelector(`#${CSS.escape(target.id)} h3`) ||
      document.querySelector("#week h3");
    if (heading) heading.focus();
  });

  // A removal's Undo lasts a minute (the server refuses it after that): take it away then,
  // leaving the words; focus on it goes to its day's heading.
  const expireUndo = (root) => {
    root.querySelectorAll(".plan-undo[data-seconds]").forEach((form) => {
      if (form.dataset.timed) return;
      form.dataset.timed = "1";
      setTimeout(() => {
        const day = form.closest(".plan-day");
        const hadFocus = form.contains(document.activeElement);
        form.remove();
        if (hadFocus && day) day.querySelector("h3")?.focus();
      }, Number(form.dataset.seconds) * 1000);
    });
  };
  document.addEventListener("DOMContentLoaded", () => expireUndo(document));
  document.addEventListener("htmx:load", (event) => expireUndo(event.detail.elt));

  // The calendar address is for copying: select all of it at the first click or focus.
  document.addEventListener("focusin", (event) => {
    if (event.target.id === "calendar-url") event.target.select();
  });
})();
