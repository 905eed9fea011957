"use strict";
// the CSRF cookie is set by any GET; make sure there is one before the first POST
fetch("/api/session", {credentials: "same-origin"}).then(r => { if (r.ok) location.href = "/static/index.html"; });
document.getElementById("login-form").addEventListener("submit", async ev => {
  ev.preventDefault();
  const r = await postJson("/login", {token: document.getElementById("token").value});
  if (r.status === 204) {
    location.href = "/static/index.html";
  } else {
    const err = document.getElementById("login-error");
    err.hidden = false;
    text(err, r.status === 401 ? "Wrong operator token." : "Could not log in (" + r.status + ").");
  }
});
