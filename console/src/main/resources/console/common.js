// Shared by the console's pages: state-changing calls carry the CSRF token from its cookie.
"use strict";
function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}
async function postJson(url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {"content-type": "application/json", "x-xsrf-token": csrfToken()},
    body: JSON.stringify(body || {})
  });
}
function text(el, value) {
  el.textContent = value;
  return el;
}
