// Analysis page: poll the job's JSON twin until it ends, then reload; seek the video to a rep.
"use strict";
(function () {
  const job = document.getElementById("job");
  if (!job) return;
  const id = job.dataset.id;
  const bar = document.getElementById("job-progress");
  const status = document.getElementById("job-status");
  const stages = { posing: "Finding the pose", drawing: "Drawing the annotated video" };

  function poll() {
    fetch("/jobs/" + id + ".json", { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((j) => {
        if (j.status === "done" || j.status === "failed") { window.location.reload(); return; }
        if (j.total > 0) { bar.value = Math.round((100 * j.done) / j.total); }
        status.textContent = (j.status === "queued" ? "Waiting to start" : stages[j.stage] || "Working") +
          (j.total > 0 ? "... " + bar.value + "%" : "...");
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  if (job.dataset.status === "queued" || job.dataset.status === "running") poll();

  const player = document.getElementById("player");
  document.querySelectorAll("button.seek").forEach((b) => b.addEventListener("click", () => {
    if (!player) return;
    player.currentTime = parseFloat(b.dataset.t);
    player.play().catch(() => {});
    player.scrollIntoView({ behavior: "smooth", block: "center" });
  }));
})();
