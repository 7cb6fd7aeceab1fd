// The signup form's hidden time zone: the browser's own (such as "Europe/Paris"), so the
// runner's days start at their midnight from the first. Without it the site's zone is used.
"use strict";

(() => {
  const field = document.querySelector('input[type="hidden"][name="time_zone"]');
  if (!field) return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    // A browser without Intl time zones: the server falls back to the site's zone.
  }
})();
