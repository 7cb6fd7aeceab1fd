// Changes to today's session made without signal: kept in this browser (IndexedDB) in the
// order they were made, each with the day it was for and the runner it belongs to, and sent
// in that order once the connection returns. Loaded by the pages (static/js/offline.js) and
// by the service worker (Background Sync), so there is one way of sending, behind one lock:
// a page and the worker never send the same queue at once.
//
// Sending the same change twice makes one row: the server keys a tick by plan item, set
// number and day (sending it again updates it), and pain, effort, skip and finish are values
// set, not added. A change is taken off the queue only once the server has answered it; one
// the server refuses (a plan deleted, a value out of range) moves to the refused list with
// the server's words, for the runner to read; it is never dropped silently.
"use strict";

(() => {
  const DB_NAME = "footcare-offline";
  const PENDING = "pending";
  const REFUSED = "refused";
  const KEPT_PAGES = "footcare-runner-pages";
  const LOCK = "footcare-queue";
  const TODAY = "/today/";

  const request = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });

  let opened = null;
  const db = () => {
    if (!opened) {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(PENDING, { keyPath: "id", autoIncrement: true });
        req.result.createObjectStore(REFUSED, { keyPath: "id", autoIncrement: true });
      };
      opened = request(req).then((database) => {
        // Another tab upgrading or deleting: let go, and open afresh next time.
        database.onversionchange = () => {
          database.close();
          opened = null;
        };
        return database;
      });
    }
    return opened;
  };

  const store = async (name, mode = "readonly") =>
    (await db()).transaction(name, mode).objectStore(name);

  const all = async (name) => request((await store(name)).getAll());
  const put = async (name, value) => request((await store(name, "readwrite")).add(value));
  const remove = async (name, id) => request((await store(name, "readwrite")).delete(id));

  // What the runner sees of a change: "Set 2 of Toe yoga: 12 reps", and so on.
  const field = (entry, name) => {
    const found = entry.fields.find(([key]) => key === name);
    return found ? found[1] : null;
  };

  const add = (entry) => put(PENDING, { ...entry, made: new Date().toISOString() });

  // The pages kept for a runner (the worker's copy of today and its exercises).
  const forgetPages = async () => {
    if ("caches" in self) await caches.delete(KEPT_PAGES);
  };

  // Everything kept for runners: the queue, the refused list and the kept pages.
  const clearAll = async () => {
    await forgetPages();
    const database = await db();
    const tx = database.transaction([PENDING, REFUSED], "readwrite");
    tx.objectStore(PENDING).clear();
    tx.objectStore(REFUSED).clear();
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  };

  // Only this runner's changes; another runner's (a session that ran out, then someone
  // else logged in on this phone) are dropped, never sent as, or shown to, the new one.
  const forRunner = async (runner) => {
    for (const name of [PENDING, REFUSED]) {
      for (const entry of await all(name)) {
        if (entry.runner !== runner) await remove(name, entry.id);
      }
    }
  };

  const decode = (text) =>
    text
      .replace(/<[^>]*>/g, "")
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
      .trim();

  // The server's own words for a refusal: the error lists in the page or card it answered.
  const reasons = (html) => {
    const found = new Set();
    for (const list of html.matchAll(/<ul class="errorlist"[^>]*>([\s\S]*?)<\/ul>/g)) {
      for (const item of list[1].matchAll(/<li>([\s\S]*?)<\/li>/g)) found.add(decode(item[1]));
    }
    return [...found].filter(Boolean);
  };

  const GENERIC = {
    403: "Footcare could not check that this change came from you (the page had expired).",
    404: "That exercise is no longer in your active plan for that day.",
  };

  // A fresh look at /today/ from the server: who is signed in there now, and a CSRF token
  // that is valid now (the one the kept page carries may have been renewed since).
  const freshToday = async () => {
    const response = await fetch(TODAY, { cache: "no-store", credentials: "same-origin" });
    const html = await response.text();
    const runner = html.match(/<meta name="footcare-runner" content="([0-9a-f]+)">/);
    const token = html.match(/"X-CSRFToken": "([A-Za-z0-9]+)"/);
    return { runner: runner ? runner[1] : "", token: token ? token[1] : "" };
  };

  const sendOne = (entry, token) => {
    const body = new URLSearchParams();
    for (const [key, value] of entry.fields) {
      if (key !== "csrfmiddlewaretoken") body.append(key, value);
    }
    body.append("csrfmiddlewaretoken", token);
    const headers = { "X-CSRFToken": token, "HX-Request": "true", "Footcare-Queued": "1" };
    if (entry.target) headers["HX-Target"] = entry.target;
    return fetch(entry.url, { method: "POST", body, headers, credentials: "same-origin" });
  };

  // Send the queue in order. Stops at the first change that does not reach the server (the
  // connection dropped: it and the rest stay, and go again next time) or when the runner is
  // no longer signed in (the changes wait for them to log in again).
  const flush = () => {
    const run = async () => {
      const outcome = { sent: 0, refused: 0, left: 0, stopped: null };
      let pending = await all(PENDING);
      if (!pending.length) return outcome;
      let fresh;
      try {
        fresh = await freshToday();
      } catch {
        outcome.stopped = "offline";
        outcome.left = pending.length;
        return outcome;
      }
      if (!fresh.runner) {
        outcome.stopped = "logged-out";
        outcome.left = pending.length;
        return outcome;
      }
      await forRunner(fresh.runner);
      pending = await all(PENDING);
      for (const [index, entry] of pending.entries()) {
        let response;
        try {
          response = await sendOne(entry, fresh.token);
        } catch {
          outcome.stopped = "offline";
          outcome.left = pending.length - index;
          return outcome;
        }
        if (response.headers.get("HX-Redirect")) {
          outcome.stopped = "logged-out";
          outcome.left = pending.length - index;
          return outcome;
        }
        if (response.ok) {
          await remove(PENDING, entry.id);
          outcome.sent += 1;
          continue;
        }
        if (response.status >= 500 || response.status === 429) {
          outcome.stopped = "server";
          outcome.left = pending.length - index;
          return outcome;
        }
        const html = await response.text();
        const why = reasons(html);
        await put(REFUSED, {
          runner: entry.runner,
          label: entry.label,
          day: entry.day,
          reasons: why.length ? why : [GENERIC[response.status] || "Footcare refused it."],
        });
        await remove(PENDING, entry.id);
        outcome.refused += 1;
      }
      return outcome;
    };
    const locks = self.navigator && self.navigator.locks;
    if (!locks) return run();
    // Another page or the worker sending already: wait for it, then send what it left.
    return locks.request(LOCK, run);
  };

  self.FootcareQueue = {
    add,
    pending: () => all(PENDING),
    refused: () => all(REFUSED),
    dismiss: (id) => remove(REFUSED, id),
    forRunner,
    forgetPages,
    clearAll,
    flush,
    field,
    KEPT_PAGES,
  };
})();
