// Footcare's service worker, served from /sw.js by footcare/offline.py, which puts FOOTCARE
// (its version, the static files it keeps, today's address) in front of this file.
//
// Online, every page comes from the network, as without the worker; it answers only when
// the network fails. It keeps:
// * the static files, per version (a new version keeps its own and drops the old ones);
// * the last /today/ page a runner opened, and the exercise pages it links to, for offline
//   use, marked as a kept copy (the page then says it is offline). They belong to the runner
//   the page names (footcare-runner); a page that names someone else, or no one (a visitor,
//   after logging out), drops them at once.
// Changes made offline are queued by the page (offline.js, offline-queue.js); the worker
// sends the queue when Background Sync says the connection is back.
"use strict";

importScripts(FOOTCARE.queue);

const STATIC = `footcare-static-${FOOTCARE.version}`;
const PAGES = self.FootcareQueue.KEPT_PAGES;
const RUNNER_HEADER = "Footcare-Runner";
const KEPT_HEADER = "Footcare-Kept";
const EXERCISE_LINK = /<h2 id="item-\d+-name"><a href="(\/exercises\/[^"/]+\/)">/g;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC)
      .then((cache) => cache.addAll(FOOTCARE.kept))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("footcare-static-") && name !== STATIC)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

const runnerOf = (html) => {
  const found = html.match(/<meta name="footcare-runner" content="([0-9a-f]+)">/);
  return found ? found[1] : "";
};

// The runner whose pages are kept, as the kept today page says.
const keptRunner = async () => {
  const cache = await caches.open(PAGES);
  const page = await cache.match(FOOTCARE.today);
  return page ? page.headers.get(RUNNER_HEADER) : null;
};

// A copy to keep: the same page and headers (its CSP nonce matches its scripts), marked on
// <html> as kept, with when, so that the page can say so when it is shown offline.
const keptCopy = (html, response, runner) => {
  const headers = new Headers(response.headers);
  const when = new Date().toISOString();
  headers.set(RUNNER_HEADER, runner);
  headers.set(KEPT_HEADER, when);
  const marked = html.replace("<html ", `<html data-offline-copy="${when}" `);
  return new Response(marked, { status: 200, headers });
};

const keepExercisePages = async (html, runner, cache) => {
  const links = new Set([...html.matchAll(EXERCISE_LINK)].map((found) => found[1]));
  for (const link of links) {
    try {
      const response = await fetch(link, { credentials: "same-origin" });
      const text = await response.text();
      if (response.ok && !response.redirected) {
        await cache.put(link, keptCopy(text, response, runner));
      }
    } catch {
      return; // The connection went: what is kept so far stays.
    }
  }
};

// After a page came from the network: who it is for decides what stays kept.
const remember = async (request, response) => {
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("text/html")) return;
  const html = await response.text();
  const runner = runnerOf(html);
  const kept = await keptRunner();
  if (!runner || (kept && kept !== runner)) await caches.delete(PAGES);
  const path = new URL(response.url || request.url).pathname;
  if (!runner || path !== FOOTCARE.today || response.status !== 200) return;
  const cache = await caches.open(PAGES);
  // Exercise pages of an earlier today go: only this one's are kept.
  for (const old of await cache.keys()) {
    if (new URL(old.url).pathname !== FOOTCARE.today) await cache.delete(old);
  }
  await cache.put(FOOTCARE.today, keptCopy(html, response, runner));
  await keepExercisePages(html, runner, cache);
};

const offlinePage = (hasToday) => {
  const link = hasToday
    ? `<p><a class="button" href="${FOOTCARE.today}">Open today's session</a></p>`
    : "";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Offline · Footcare</title><link rel="stylesheet" href="${FOOTCARE.stylesheet}"></head>
<body><main id="main" class="wrap"><h1>You are offline</h1>
<p>This page was not kept on this phone, so it needs a connection.</p>
${link}</main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'self'; script-src 'none'; base-uri 'none'",
      "Cache-Control": "no-store",
    },
  });
};

const page = async (event) => {
  const { request } = event;
  try {
    const response = await fetch(request);
    event.waitUntil(remember(request, response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    const path = new URL(request.url).pathname;
    const kept = await cache.match(path);
    if (kept) return kept;
    return offlinePage(Boolean(await cache.match(FOOTCARE.today)));
  }
};

const keptFiles = new Set(FOOTCARE.kept);

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
    return;
  }
  // A kept static file belongs to this version of the worker, so it is the right one.
  if (keptFiles.has(url.pathname)) {
    event.respondWith(
      caches
        .open(STATIC)
        .then((cache) => cache.match(url.pathname))
        .then((kept) => kept || fetch(request)),
    );
  }
  // Anything else goes to the network, untouched.
});

const tellPages = async (message) => {
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage(message);
  }
};

self.addEventListener("sync", (event) => {
  if (event.tag !== "footcare-queue") return;
  event.waitUntil(
    self.FootcareQueue.flush().then(async (outcome) => {
      await tellPages({ type: "footcare-sent", outcome });
      // Not all sent: throwing asks the browser to try again later.
      if (outcome.stopped === "offline" || outcome.stopped === "server") {
        throw new Error("Not all sent");
      }
    }),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "footcare-forget") {
    event.waitUntil(caches.delete(PAGES));
  }
  // A page that began loading while this worker was still installing is not among the
  // clients the claim on activation took, and would stay uncontrolled (nothing kept) until
  // the next page: it asks, once ready (offline.js), and is taken now.
  if (event.data && event.data.type === "footcare-claim") {
    event.waitUntil(self.clients.claim());
  }
});
