// On a phone the header's links fold behind one "Menu" button (WAI-ARIA disclosure), so the
// page starts near the top of the screen. Without JavaScript every link simply stays shown.
(function () {
  const button = document.querySelector("header.site .menu-toggle");
  const nav = document.getElementById("main-nav");
  const account = document.querySelector("header.site .account");
  if (!button || !nav) return;
  const narrow = window.matchMedia("(max-width: 40rem)");
  function fold(open) {
    button.setAttribute("aria-expanded", String(open));
    for (const part of [nav, account]) if (part) part.classList.toggle("folded", !open);
  }
  function apply() {
    button.hidden = !narrow.matches;
    fold(!narrow.matches);
  }
  button.addEventListener("click", function () {
    fold(button.getAttribute("aria-expanded") !== "true");
  });
  narrow.addEventListener("change", apply);
  apply();
})();
