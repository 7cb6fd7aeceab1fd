// Today's session. Every control works without this file (plain forms, number inputs);
// this adds − and + steppers, a visible failure when a save does not reach the server
// (tap again to retry: the same set again changes that set, never adds one), and a timer
// for a set's work (each held rep's rise, hold and lowering, or a timed set) and for the
// rest that ticking a set starts, with a sound, a vibration and the screen kept awake.
"use strict";

(() => {
  // Steppers ------------------------------------------------------------------------------
  const stepOf = (input) => (Number(input.max) > 100 ? 5 : 1);

  const addSteppers = (root) => {
    root.querySelectorAll(".stepper input[type=number]").forEach((input) => {
      if (input.dataset.stepper) return;
      input.dataset.stepper = "1";
      const label = root.querySelector(`label[for="${input.id}"]`);
      const name = label ? label.textContent.trim() : "amount";
      const make = (sign, text) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "step button-secondary";
        button.textContent = text;
        button.setAttribute("aria-label", `${sign > 0 ? "More" : "Fewer"}: ${name}`);
        button.addEventListener("click", () => {
          const value = Number(input.value || 0) + sign * stepOf(input);
          input.value = String(Math.min(Number(input.max), Math.max(Number(input.min), value)));
        });
        return button;
      };
      input.before(make(-1, "−"));
      input.after(make(1, "+"));
    });
  };

  // Failed saves -----------------------------------------------------------------------
  const formOf = (event) => {
    const elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest(".today-item form, .check-in form") : null;
  };

  const showFailure = (form, failed) => {
    if (!form) return;
    form.classList.toggle("is-failed", failed);
    const note = form.querySelector(".save-failed");
    if (note) note.hidden = !failed;
  };

  document.addEventListener("htmx:beforeRequest", (event) => showFailure(formOf(event), false));
  document.addEventListener("htmx:sendError", (event) => showFailure(formOf(event), true));
  document.addEventListener("htmx:responseError", (event) => {
    // A 400 carries the card with the message beside the field: swap it in instead.
    if (event.detail.xhr && event.detail.xhr.status === 400) return;
    showFailure(formOf(event), true);
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    // This event fires on the target (the card), not on the form that asked.
    const asked = event.detail.requestConfig && event.detail.requestConfig.elt;
    const form = asked && asked.closest ? asked.closest(".today-item form, .check-in form") : null;
    if (event.detail.xhr.status === 400 && form) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Keyboard focus -------------------------------------------------------------------------
  // Each save swaps its whole card, which would drop focus to the top of the page. The
  // control used is found again in the new card: a set's tick (Done, now its ✓), the
  // same form's button of the same name and value, or of the same name (Skip's "Do it
  // after all"), else the card's heading link; a refused value puts it on its field. An
  // input that kept its id keeps focus by itself.
  let used = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const active = document.activeElement;
    const card = active && active.closest ? active.closest(".today-item") : null;
    const form = card && active.closest("form");
    used = form
      ? {
          card: card.id,
          action: form.getAttribute("action"),
          name: active.name,
          value: active.value,
          tick: active.matches(".set-tick"),
        }
      : null;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail && event.detail.target;
    if (!used || !target || target.id !== used.card) return;
    const { card: id, action, name, value, tick } = used;
    used = null;
    const card = document.getElementById(id);
    if (!card || card.contains(document.activeElement)) return;
    // Rating and Skip post to the same address from two forms: look in each.
    const forms = [...card.querySelectorAll("form")];
    const same = forms.filter((f) => f.getAttribute("action") === action);
    const buttons = same.flatMap((f) => [...f.querySelectorAll("button[type=submit]")]);
    const next =
      same.map((f) => f.querySelector("[aria-invalid=true]")).find(Boolean) ||
      (tick && buttons.find((b) => b.matches(".set-tick"))) ||
      buttons.find((b) => name && b.name === name && b.value === value) ||
      buttons.find((b) => name && b.name === name) ||
      card.querySelector("h2 a");
    if (next) next.focus();
  });

  // The timer ------------------------------------------------------------------------------
  let audio = null;
  const beep = (long) => {
    try {
      audio = audio || new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = long ? 660 : 880;
      gain.gain.value = 0.2;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + (long ? 0.6 : 0.2));
    } catch {
      // No sound on this device: the display and the vibration still say it.
    }
    if (navigator.vibrate) navigator.vibrate(long ? [300, 100, 300] : 200);
  };

  // A set's work: each held rep as its rise, its hold and its lowering, or a timed set.
  const workOf = (data) => {
    const phases = [];
    const hold = Number(data.hold || 0);
    const reps = Number(data.reps || 0);
    const duration = Number(data.duration || 0);
    if (hold && reps) {
      for (let rep = 1; rep <= reps; rep += 1) {
        const which = `rep ${rep} of ${reps}`;
        const rise = Number(data.rise || 0);
        const lower = Number(data.lower || 0);
        if (rise) phases.push({ label: `Rise: ${which}`, seconds: rise });
        phases.push({ label: `Hold: ${which}`, seconds: hold });
        if (lower) phases.push({ label: `Lower: ${which}`, seconds: lower });
      }
    } else if (duration) {
      phases.push({ label: "Work", seconds: duration });
    }
    return phases;
  };

  const format = (seconds) => {
    const s = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  // The timer counts a set's work when started, and the rest when a set is ticked done.
  const setUpTimer = (box) => {
    if (box.dataset.ready) return;
    const work = workOf(box.dataset);
    const restSeconds = Number(box.dataset.rest || 0);
    const rest = restSeconds ? [{ label: "Rest", seconds: restSeconds }] : [];
    if (!work.length && !rest.length) return;
    box.dataset.ready = "1";
    box.hidden = false;
    const name = box.dataset.name;
    box.innerHTML = "";
    const phase = document.createElement("p");
    phase.className = "timer-phase";
    phase.setAttribute("aria-live", "polite");
    const display = document.createElement("p");
    display.className = "timer-display";
    display.setAttribute("role", "timer");
    display.setAttribute("aria-label", `Timer for ${name}`);
    const controls = document.createElement("div");
    controls.className = "timer-controls";
    const button = (text, cls) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = cls;
      b.textContent = text;
      controls.append(b);
      return b;
    };
    const start = button("Start timer", "timer-start");
    const pause = button("Pause", "timer-pause button-secondary");
    const reset = button("Reset", "timer-reset button-secondary");
    box.append(phase, display, controls);

    const first = work.length ? work : rest;
    let phases = first;
    let index = 0;
    let left = phases[0].seconds;
    let ticker = null;
    let last = 0;
    let lock = null;

    const keepAwake = async (on) => {
      try {
        if (on && "wakeLock" in navigator && !lock) lock = await navigator.wakeLock.request("screen");
        if (!on && lock) {
          await lock.release();
          lock = null;
        }
      } catch {
        lock = null;
      }
    };
    const draw = () => {
      display.textContent = format(left);
      const current = phases[index];
      const over = phases === rest ? "Rest over: start the next set" : "Done: tick the set";
      phase.textContent = current ? current.label : over;
      pause.disabled = ticker === null;
      const begun = index > 0 || left < phases[0].seconds;
      start.textContent = ticker === null && begun && current ? "Resume" : "Start timer";
      start.disabled = ticker !== null;
    };
    const stop = () => {
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      keepAwake(false);
    };
    const load = (next) => {
      stop();
      phases = next;
      index = 0;
      left = phases[0].seconds;
    };
    const tick = () => {
      // The card was skipped (or left the page): its timer stops with it.
      if (!box.isConnected) {
        stop();
        return;
      }
      const now = Date.now();
      left -= (now - last) / 1000;
      last = now;
      while (left <= 0 && index < phases.length) {
        index += 1;
        const finished = index >= phases.length;
        beep(finished);
        if (finished) {
          left = 0;
          stop();
          break;
        }
        left += phases[index].seconds;
      }
      draw();
    };
    const run = () => {
      last = Date.now();
      ticker = setInterval(tick, 250);
      keepAwake(true);
      draw();
    };
    start.addEventListener("click", () => {
      if (ticker !== null) return;
      if (index >= phases.length) load(first);
      run();
    });
    pause.addEventListener("click", () => {
      stop();
      draw();
    });
    reset.addEventListener("click", () => {
      load(first);
      draw();
    });
    // A set ticked done: its rest starts now, whatever the timer was doing.
    box.addEventListener("timer:rest", () => {
      if (!rest.length) return;
      load(rest);
      run();
    });
    document.addEventListener("visibilitychange", () => {
      // The browser drops a wake lock when the page is hidden; take it again on return.
      if (document.visibilityState === "visible" && ticker !== null) keepAwake(true);
    });
    draw();
  };

  // Ticking a set done (not saving one done already) starts the rest, unless it was the
  // last set left. The timer is kept through the card's swap (hx-preserve).
  document.addEventListener(
    "submit",
    (event) => {
      const tick = event.submitter;
      if (!tick || !tick.matches(".set-tick:not(.is-ticked)")) return;
      const card = tick.closest(".today-item");
      const box = card && card.querySelector(".timer[data-ready]");
      if (!box || card.querySelectorAll(".set-tick:not(.is-ticked)").length < 2) return;
      box.dispatchEvent(new CustomEvent("timer:rest"));
    },
    true,
  );

  const enhance = (root) => {
    addSteppers(root);
    root.querySelectorAll(".timer").forEach(setUpTimer);
  };

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt.parentElement || document));
})();
