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
  // A new exchange's form shows only the credentials of the kind chosen; the others are disabled,
  // so a secret typed for one kind is not sent with another. Without script every kind's are shown.
  const kind = document.querySelector("#new-exchange select[name=kind]");
  if (kind) {
    const showCredentials = () => {
      document.querySelectorAll("#new-exchange fieldset.credentials").forEach((fieldset) => {
        const chosen = fieldset.dataset.kind === kind.value;
        fieldset.hidden = !chosen;
        fieldset.disabled = !chosen;
      });
    };
    kind.addEventListener("change", showCredentials);
    showCredentials();
  }
  // Videos start muted and never by themselves, even if a browser setting would say otherwise.
  document.querySelectorAll("video").forEach((video) => {
    video.muted = true;
    video.autoplay = false;
  });
});
