// Today's session. Every control works without this file (plain forms, number inputs);
// this adds − and + steppers, a visible failure when a save does not reach the server
// (tap again to retry: the same set again changes that set, never adds one), and a hold,
// duration and rest timer with a sound, a vibration and the screen kept awake.
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

  const phasesOf = (data) => {
    const phases = [];
    const hold = Number(data.hold || 0);
    const reps = Number(data.reps || 0);
    const duration = Number(data.duration || 0);
    if (hold && reps) {
      for (let rep = 1; rep <= reps; rep += 1) {
        phases.push({ label: `Hold: rep ${rep} of ${reps}`, seconds: hold });
      }
    } else if (duration) {
      phases.push({ label: "Work", seconds: duration });
    }
    if (Number(data.rest || 0)) phases.push({ label: "Rest", seconds: Number(data.rest) });
    return phases;
  };

  const format = (seconds) => {
    const s = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  const setUpTimer = (box) => {
    if (box.dataset.ready) return;
    const phases = phasesOf(box.dataset);
    if (!phases.length) return;
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
      phase.textContent = current ? current.label : "Done: tick the set";
      pause.disabled = ticker === null;
      start.textContent = ticker === null && (index > 0 || left < phases[0].seconds) && current ? "Resume" : "Start timer";
      start.disabled = ticker !== null || !current;
    };
    const stop = () => {
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      keepAwake(false);
    };
    const tick = () => {
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
    start.addEventListener("click", () => {
      if (ticker !== null || index >= phases.length) return;
      last = Date.now();
      ticker = setInterval(tick, 250);
      keepAwake(true);
      draw();
    });
    pause.addEventListener("click", () => {
      stop();
      draw();
    });
    reset.addEventListener("click", () => {
      stop();
      index = 0;
      left = phases[0].seconds;
      draw();
    });
    document.addEventListener("visibilitychange", () => {
      // The browser drops a wake lock when the page is hidden; take it again on return.
      if (document.visibilityState === "visible" && ticker !== null) keepAwake(true);
    });
    draw();
  };

  const enhance = (root) => {
    addSteppers(root);
    root.querySelectorAll(".timer").forEach(setUpTimer);
  };

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt.parentElement || document));
})();
