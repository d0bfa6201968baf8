// Progressive enhancement only: every page and form works without this file.
// After a failed form submission, move focus to the error summary so that
// keyboard and screen-reader users land on the list of what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// Where the visit came from (docs/decisions.md, "Where students come from"): the campaign parameters
// (utm_source, utm_medium, utm_campaign) of the address, and the referring site's host, of the first page
// of a visit that came from another site. Kept in this tab's sessionStorage (no cookie: nothing is sent
// to us until a form is), forgotten after 30 minutes without a page, and written into a form's hidden
// fields, so that the enquiry, application or sign-up says where it came from. Pages stay the same for
// everyone, and so stay in the page cache.
(function () {
  var KEY = "visit-source";
  var VISIT_MS = 30 * 60 * 1000;
  var CAMPAIGN = ["utm_source", "utm_medium", "utm_campaign"];
  var MAX_LENGTH = 100;

  function remembered(now) {
    try {
      var value = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      return value && now - value.seen < VISIT_MS ? value : null;
    } catch (error) {
      return null; // storage turned off, or a value we did not write
    }
  }

  function remember(value) {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify(value));
    } catch (error) {
      // Storage turned off or full: the form is sent without it.
    }
  }

  function arrival(now) {
    var params = new URLSearchParams(window.location.search);
    var found = { seen: now, referrer_host: "" };
    var campaign = false;
    CAMPAIGN.forEach(function (name) {
      found[name] = (params.get(name) || "").slice(0, MAX_LENGTH);
      campaign = campaign || found[name] !== "";
    });
    if (document.referrer) {
      try {
        var host = new URL(document.referrer).hostname;
        if (host && host !== window.location.hostname) {
          found.referrer_host = host;
        }
      } catch (error) {
        // Not an address: no referring site.
      }
    }
    return campaign || found.referrer_host ? found : null;
  }

  var now = Date.now();
  // A page reached from another site, or through a campaign link, starts a visit; other pages continue it.
  var visit = arrival(now) || remembered(now);
  if (!visit) {
    return;
  }
  visit.seen = now;
  remember(visit);
  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("input[data-visit-source]");
    for (var i = 0; i < fields.length; i++) {
      // A value already there (a form sent back with mistakes to fix) is the one the visit sent.
      if (!fields[i].value && typeof visit[fields[i].name] === "string") {
        fields[i].value = visit[fields[i].name];
      }
    }
  });
})();
