/* The admin's messages ("2 application(s) withdrawn: ...") after an action or a save, announced and focused.

   The page shows them in a live region (templates/admin/base_site.html), but screen readers announce what
   changes in a live region, not what it held when the page loaded. So once the page has loaded, the messages
   are taken out and put back, which is announced, and the region is focused, so that the keyboard goes on from
   the result rather than from the top of the page. Without JavaScript they are simply shown.
   A static file: the site's Content-Security-Policy allows no inline script. */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("staff-messages");
    if (!region || !region.querySelector(".messagelist")) {
        return;
    }
    const messages = Array.from(region.childNodes);
    // The region keeps its height meanwhile, so that the page below does not jump when they come back.
    region.style.minHeight = `${region.offsetHeight}px`;
    region.replaceChildren();
    // A moment for assistive technology to take in the region before its content changes.
    window.setTimeout(() => {
        region.append(...messages);
        region.style.minHeight = "";
        region.focus();
    }, 250);
});
