// Countersignal console. Served as a file: the Content-Security-Policy allows no inline script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Reveal or hide one media item; the others keep the reviewer's blur and greyscale.
  document.querySelectorAll("button.reveal").forEach((button) => {
    button.addEventListener("click", () => {
      const item = button.closest(".media-item");
      const revealed = item.classList.toggle("revealed");
      button.textContent = revealed ? "Blur again" : "Reveal this item";
      button.setAttribute("aria-pressed", String(revealed));
    });
  });
  // Videos start muted and never by themselves, even if a browser setting would say otherwise.
  document.querySelectorAll("video").forEach((video) => {
    video.muted = true;
    video.autoplay = false;
  });
});
