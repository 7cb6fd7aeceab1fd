// The calf test's metronome: 60 beats a minute, up on one beat and down on the next.
// Visual always; a short click with Web Audio when the runner ticks "With a click".
(() => {
  "use strict";
  const root = document.querySelector("[data-metronome]");
  if (!root) return;
  const beat = root.querySelector("[data-beat]");
  const count = root.querySelector("[data-count]");
  const start = root.querySelector("[data-start]");
  const sound = root.querySelector("[data-sound]");
  let timer = null;
  let beats = 0;
  let audio = null;

  const click = () => {
    if (!sound.checked) return;
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = beats % 2 ? 660 : 880;
    gain.gain.setValueAtTime(0.3, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.08);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.1);
  };

  const tick = () => {
    beats += 1;
    const up = beats % 2 === 1;
    beat.textContent = up ? "Up" : "Down";
    beat.classList.toggle("metronome-up", up);
    count.textContent = String(beats);
    click();
  };

  start.addEventListener("click", () => {
    if (timer) {
      clearInterval(timer);
      timer = null;
      start.textContent = "Start the beat (60 a minute)";
      beat.textContent = "Stopped";
      return;
    }
    beats = 0;
    tick();
    timer = setInterval(tick, 1000);
    start.textContent = "Stop the beat";
  });
})();
