// Installable and usable without signal, on every page: starts the service worker
// (static/js/sw.js), drops the pages kept for a runner once no one or someone else is signed
// in (and their unsent changes too once someone else is, or they log out), and, on /today/,
// keeps the changes made offline (static/js/offline-queue.js):
// each shows at once, marked "Not sent yet", and all are sent in order when the connection
// returns (Background Sync where the browser has it, else the `online` event or the next
// page). A change the server refuses is listed for the runner with its reason.
"use strict";

(() => {
  const Q = self.FootcareQueue;
  const meta = document.querySelector('meta[name="footcare-runner"]');
  const runner = meta ? meta.content : "";
  const keptAt = document.documentElement.dataset.offlineCopy || "";
  const today = document.querySelector(".today[data-day]");
  let pending = [];
  let refused = [];
  let loggedOut = false;
  let sending = false;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    // This page may have started loading while the worker installed, too early for the
    // claim on its activation: ask the active worker to take it (sw.js), so that it is
    // kept for offline use now rather than on the next page.
    navigator.serviceWorker.ready
      .then((registration) => {
        if (!navigator.serviceWorker.controller && registration.active) {
          registration.active.postMessage({ type: "footcare-claim" });
        }
      })
      .catch(() => {});
  }

  const ready = Q && "indexedDB" in window;
  if (!ready) return;

  // Whoever is signed in now: someone drops what was kept for anyone else. No one (a
  // session that ran out, the login page) drops the kept pages but keeps the queue, so that
  // the runner who logs in again can still send it; it is never shown here but as a count,
  // and the next runner to sign in drops it if it is not theirs. Logging out drops it all.
  const started = runner ? Q.forRunner(runner) : Q.forgetPages();

  // Logging out: forget at once (the server's Clear-Site-Data says the same).
  document.addEventListener("submit", (event) => {
    if (event.target.matches('form[action$="/accounts/logout/"]')) Q.clearAll().catch(() => {});
  });

  const offline = () => Boolean(keptAt) || !navigator.onLine;

  // The banner -----------------------------------------------------------------------
  const banner = document.getElementById("offline-banner");
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const keptWhen = () => {
    const when = new Date(keptAt);
    if (Number.isNaN(when.getTime())) return "";
    const day = when.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
    const time = when.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    return ` This page was kept on this phone on ${day} at ${time}.`;
  };
  const drawBanner = () => {
    if (!banner) return;
    banner.replaceChildren();
    const line = (text, strong) => {
      const p = document.createElement("p");
      if (strong) {
        const b = document.createElement("strong");
        b.textContent = strong;
        p.append(b, " ");
      }
      p.append(text);
      banner.append(p);
    };
    if (offline()) {
      line(
        (keptAt ? keptWhen() : "") +
          (today
            ? " What you tick, enter and finish is kept here and sent when you are back online."
            : ""),
        "You are offline.",
      );
    }
    if (pending.length) {
      const count = plural(pending.length, "change", "changes");
      if (loggedOut) line(`${count} to today's session kept on this phone: log in again to send them.`, "Not sent yet:");
      else if (sending) line(`Sending ${count} kept on this phone…`);
      else line(`${count} kept on this phone.`, "Not sent yet:");
    }
    if (refused.length) {
      line("Footcare refused these when this phone sent them; what you entered is below:", "Not saved.");
      const list = document.createElement("ul");
      list.className = "offline-refused";
      for (const entry of refused) {
        const item = document.createElement("li");
        item.append(`${entry.label} (for ${entry.day}): ${entry.reasons.join(" ")} `);
        const dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "button-secondary";
        dismiss.textContent = "Dismiss";
        dismiss.setAttribute("aria-label", `Dismiss: ${entry.label}`);
        dismiss.addEventListener("click", async () => {
          await Q.dismiss(entry.id);
          await refresh();
        });
        item.append(dismiss);
        list.append(item);
      }
      banner.append(list);
    }
    banner.classList.toggle("is-offline", offline());
    banner.hidden = !banner.childElementCount;
  };

  // Today's cards with the changes not sent yet drawn over what the server last said ------
  const cardName = (card) => {
    const heading = card.querySelector("h2");
    return heading ? heading.textContent.trim() : "this exercise";
  };
  const mark = (form, on, text = "Not sent yet") => {
    let note = form.querySelector(".pending-note");
    if (on && !note) {
      note = document.createElement("p");
      note.className = "pending-note";
      form.append(note);
    }
    if (note) {
      note.textContent = text;
      note.hidden = !on;
    }
    form.classList.toggle("is-pending", on);
  };
  const setButtons = (form, number, done) => {
    if (Boolean(form.querySelector(".set-tick.is-ticked")) === done) return;
    form.querySelectorAll(".set-save, .set-tick").forEach((button) => button.remove());
    const button = (cls, value, text, label) => {
      const b = document.createElement("button");
      b.type = "submit";
      b.name = "action";
      b.value = value;
      b.className = cls;
      b.textContent = text;
      if (label) b.setAttribute("aria-label", label);
      return b;
    };
    const buttons = done
      ? [
          button("set-save button-secondary", "done", "Save"),
          button("set-tick is-ticked", "undo", "✓", `Set ${number} done. Undo`),
        ]
      : [button("set-tick", "done", "Done", `Tick set ${number} done`)];
    if (done) {
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ` set ${number}`;
      buttons[0].append(hidden);
    }
    const before = form.querySelector(".errorlist, .save-failed");
    buttons.forEach((b) => form.insertBefore(b, before));
  };
  const chosen = (form, name, value) => {
    form.querySelectorAll(`button[name="${name}"]`).forEach((b) => {
      const on = b.value === value;
      b.classList.toggle("is-chosen", on);
      b.setAttribute("aria-pressed", String(on));
    });
  };

  const drawCard = (card) => {
    const mine = (url) => pending.filter((entry) => entry.url === url);
    let done = 0;
    card.querySelectorAll("form.set-form").forEach((form) => {
      if (!("baseDone" in form.dataset)) form.dataset.baseDone = form.matches(".is-done") ? "1" : "";
      const last = mine(form.getAttribute("action")).at(-1);
      const number = form.getAttribute("action").match(/sets\/(\d+)\//)[1];
      const isDone = last ? Q.field(last, "action") !== "undo" : form.dataset.baseDone === "1";
      if (last && isDone) {
        for (const name of ["amount", "amount_right"]) {
          const input = form.querySelector(`input[name="${name}"]`);
          const value = Q.field(last, name);
          if (input && value !== null) input.value = value;
        }
      }
      form.classList.toggle("is-done", isDone);
      setButtons(form, number, isDone);
      mark(form, Boolean(last));
      if (isDone) done += 1;
    });
    const count = card.querySelector(".today-count");
    if (count) {
      if (!count.dataset.base) count.dataset.base = count.textContent;
      const planned = count.dataset.base.match(/of (\d+) sets/);
      const items = pending.filter((e) => e.target === card.id);
      const skip = items.filter((e) => Q.field(e, "skip") !== null).at(-1);
      const skipped = skip ? Q.field(skip, "skip") === "1" : card.matches(".is-skipped");
      if (skipped) count.textContent = "Skipped today";
      else if (planned) count.textContent = `${done} of ${planned[1]} sets done`;
      for (const part of card.querySelectorAll(".today-sets, .rating, .timer")) {
        if (skip && skipped) part.hidden = true;
      }
      const rating = card.querySelector("form.rating");
      if (rating) {
        const pain = items.filter((e) => Q.field(e, "pain") !== null).at(-1);
        const effort = items.filter((e) => Q.field(e, "effort") !== null).at(-1);
        if (pain) chosen(rating, "pain", Q.field(pain, "pain"));
        if (effort) chosen(rating, "effort", Q.field(effort, "effort"));
        mark(rating, Boolean(pain || effort));
      }
      const actions = card.querySelector("form.today-actions");
      if (actions) {
        const button = actions.querySelector('button[name="skip"]');
        if (skip && button) {
          button.value = skipped ? "0" : "1";
          button.textContent = skipped ? "Do it after all" : "Skip today";
        }
        mark(actions, Boolean(skip));
      }
    }
  };

  const drawToday = () => {
    if (!today) return;
    today.querySelectorAll(".today-item").forEach(drawCard);
    const progress = document.getElementById("today-progress");
    if (progress) {
      if (!progress.dataset.base) progress.dataset.base = progress.textContent;
      const planned = progress.dataset.base.match(/of (\d+) sets/);
      const done = today.querySelectorAll(".today-item:not(.is-skipped) form.set-form.is-done").length;
      if (planned) progress.textContent = `${done} of ${planned[1]} sets`;
    }
    const finish = today.querySelector("form.today-finish");
    if (finish) {
      const finished = pending.some((entry) => entry.url === finish.getAttribute("action"));
      mark(finish, finished, "Finished on this phone: not sent yet");
    }
  };

  const refresh = async () => {
    pending = await Q.pending();
    refused = await Q.refused();
    if (!runner) {
      // Nobody signed in: nothing of a runner's is shown, only that changes wait.
      loggedOut = pending.length > 0;
      refused = [];
    }
    drawToday();
    drawBanner();
  };

  // Sending ----------------------------------------------------------------------------
  const send = async (cameBack = false) => {
    if (!navigator.onLine || !runner) return;
    if (!pending.length) {
      // A kept copy, back online with nothing left to send: the server's page instead.
      // Only when the connection came back: a kept copy shown online (the server down)
      // would otherwise load itself again and again.
      if (keptAt && cameBack) window.location.replace(window.location.pathname);
      return;
    }
    sending = true;
    drawBanner();
    let outcome;
    try {
      outcome = await Q.flush();
    } finally {
      sending = false;
    }
    loggedOut = outcome.stopped === "logged-out";
    // What the server now holds, drawn by the server, once everything went.
    if (today && !keptAt && (outcome.sent || outcome.refused) && !outcome.left) {
      window.location.reload();
      return;
    }
    if (keptAt && navigator.onLine && !outcome.left) {
      window.location.replace(window.location.pathname);
      return;
    }
    await refresh();
  };

  const askForSync = async () => {
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("footcare-queue");
    } catch {
      // No Background Sync here: the `online` event and the next page send it instead.
    }
  };

  // Keeping a change -------------------------------------------------------------------
  const describe = (card, url, fields) => {
    const get = (name) => (fields.find(([key]) => key === name) || [])[1];
    if (!card) return "Finish the session";
    const name = cardName(card);
    const set = url.match(/sets\/(\d+)\//);
    if (set) {
      if (get("action") === "undo") return `Undo set ${set[1]} of ${name}`;
      const right = get("amount_right");
      return `Set ${set[1]} of ${name}: ${get("amount")}${right ? ` left, ${right} right` : ""}`;
    }
    if (get("pain") !== undefined) return `Pain ${get("pain")} for ${name}`;
    if (get("effort") !== undefined) return `Effort ${get("effort")} for ${name}`;
    if (get("skip") === "1") return `Skip ${name}`;
    if (get("skip") === "0") return `Do ${name} after all`;
    return `A change to ${name}`;
  };

  const keep = async (form, fields) => {
    const card = form.closest(".today-item");
    const url = form.getAttribute("action");
    if (!fields.some(([key]) => key === "day")) fields.push(["day", today.dataset.day]);
    await Q.add({
      runner,
      day: today.dataset.day,
      url,
      fields,
      target: card ? card.id : "",
      label: describe(card, url, fields),
    });
    await refresh();
    askForSync();
  };

  const queueable = (form) => today && runner && form && form.matches(".today-item form, form.today-finish");

  const failed = (form, text) => {
    const note = form.querySelector(".save-failed");
    if (!note) return;
    if (!note.dataset.text) note.dataset.text = note.textContent;
    note.textContent = text || note.dataset.text;
    note.hidden = !text;
    form.classList.toggle("is-failed", Boolean(text));
  };

  if (today) {
    // Every change on the page says which day it is for: the page's own.
    document.addEventListener("htmx:configRequest", (event) => {
      const form = event.detail.elt.closest && event.detail.elt.closest("form");
      if (!queueable(form)) return;
      event.detail.parameters.day = today.dataset.day;
      if (!offline() && !pending.length) return;
      // Offline, or earlier changes still waiting: this one waits behind them, in order.
      event.preventDefault();
      const fields = [...event.detail.formData.entries()].map(([k, v]) => [k, String(v)]);
      if (fields.some(([key]) => key === "swap")) {
        failed(form, "Swapping needs a connection: try again when you are back online.");
        return;
      }
      failed(form, "");
      keep(form, fields).then(send);
    });
    // A change that set off online but did not arrive: kept, like one made offline.
    document.addEventListener("htmx:sendError", (event) => {
      const elt = event.detail.elt;
      const form = elt && elt.closest && elt.closest("form");
      const config = event.detail.requestConfig;
      if (!queueable(form) || !config || !config.formData) return;
      const fields = [...config.formData.entries()].map(([k, v]) => [k, String(v)]);
      if (fields.some(([key]) => key === "swap")) return;
      keep(form, fields).then(() => {
        failed(form, "");
        const status = document.getElementById("request-status");
        if (status) status.hidden = true;
      });
    });
    // Finish is a plain form: offline, it is kept rather than lost to a failed page load.
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (!form.matches("form.today-finish") || !queueable(form)) return;
      if (!offline() && !pending.length) {
        const day = document.createElement("input");
        day.type = "hidden";
        day.name = "day";
        day.value = today.dataset.day;
        form.append(day);
        return;
      }
      event.preventDefault();
      const fields = [...new FormData(form).entries()].map(([k, v]) => [k, String(v)]);
      keep(form, fields).then(send);
    });
  }

  window.addEventListener("online", () => {
    drawBanner();
    send(true);
  });
  window.addEventListener("offline", drawBanner);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "footcare-sent") {
        // The worker sent the queue (Background Sync): show what the server now holds.
        const { sent, refused: no, left } = event.data.outcome;
        if (today && navigator.onLine && (sent || no) && !left) window.location.replace(window.location.pathname);
        else refresh();
      }
    });
  }

  started
    .catch(() => {})
    .then(refresh)
    .then(() => send())
    .catch(() => {});
})();
