// Upload with progress: drag and drop or the file picker, sent with XHR so the bar moves.
// Without JavaScript the form still posts normally.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("video");
  const drop = document.getElementById("drop");
  const chosen = document.getElementById("chosen");
  const bar = document.getElementById("progress");
  const status = document.getElementById("upload-status");
  const send = document.getElementById("send");
  let sending = false;

  function show(file) { chosen.textContent = file ? file.name + " (" + Math.round(file.size / 1048576) + " MB)" : ""; }
  input.addEventListener("change", () => show(input.files[0]));
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => {
    if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(input.files[0]); }
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (sending || !input.files.length) return;  // one job per form: a second click does nothing
    sending = true;
    send.disabled = true;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable) {
        bar.value = Math.round((100 * ev.loaded) / ev.total);
        status.textContent = "Uploading... " + bar.value + "%";
      }
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 201 && body.url) { status.textContent = "Uploaded; analysing..."; window.location.assign(body.url); return; }
      status.textContent = body.error || ("The upload failed (HTTP " + xhr.status + ").");
      status.classList.add("problem");
      sending = false; send.disabled = false;
    });
    xhr.addEventListener("error", () => {
      status.textContent = "The upload was interrupted; nothing was kept. Try again.";
      sending = false; send.disabled = false;
    });
    xhr.send(new FormData(form));
  });
})();
