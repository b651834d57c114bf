// Live coaching from this device's camera.
//
// The pose model (MediaPipe Tasks Vision, wasm, CPU) runs here, on the device: the video never
// leaves it. Each posed frame's 33 landmarks [x, y, z, visibility] go to /ws/live, where the same
// rep counter and fault rules as `pushup-coach live` answer with the count and a cue, shown large
// over the skeleton and spoken (mutable; the choice is kept in localStorage, not a cookie).
// window.liveCoach holds what the page saw (count, cues, latencies) for the browser test.
import { FilesetResolver, PoseLandmarker } from "./vendor/tasks-vision/vision_bundle.mjs";

const VENDOR = new URL("./vendor/", import.meta.url).href;
const MUTE_KEY = "pushup-coach.live.muted";
const CUE_SHOWN_MS = 5000;
const MAX_BUFFERED = 64 * 1024; // bytes waiting on the socket before frames are skipped
const RECONNECT_TRIES = 5;
const MAX_PENDING = 60; // frames kept while reconnecting: 4 s at 15 a second (the server takes 90 at once)

const $ = (id) => document.getElementById(id);
const stats = {
  repCount: 0, cues: [], latenciesMs: [], cueLatenciesMs: [], framesSent: 0,
  firstTS: null, lastTS: null, lastPersonTS: null, reconnects: 0, summary: null, saved: null,
  closeReason: null,
};
window.liveCoach = stats;

const state = {
  landmarker: null, stream: null, ws: null, sessionId: null, ready: false, pending: [],
  poseRateHz: 15, t0: null,
  lastPosedMs: -Infinity, finished: false, tries: 0, cueTimer: null,
};

function say(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function cameraBlocked() {
  if (!window.isSecureContext) {
    return "Browsers give the camera only to secure pages. Open this page at http://localhost " +
      "on this computer, or start `pushup-coach serve --lan` and open its https:// address " +
      "on your phone.";
  }
  if (!navigator.mediaDevices?.getUserMedia) return "This browser cannot use a camera.";
  return null;
}

async function loadModel() {
  if (!(await FilesetResolver.isSimdSupported())) {
    throw new Error("this browser lacks WebAssembly SIMD; update it (Chrome 91+, Safari 16.4+)");
  }
  const fileset = {
    wasmLoaderPath: `${VENDOR}tasks-vision/vision_wasm_internal.js`,
    wasmBinaryPath: `${VENDOR}tasks-vision/vision_wasm_internal.wasm`,
  };
  return PoseLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: `${VENDOR}models/pose_landmarker_full.task`, delegate: "CPU" },
    runningMode: "VIDEO",
    numPoses: 1,
  });
}

async function startCamera() {
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (err) {
    const why = {
      NotAllowedError: "Camera access was denied. Allow the camera for this site in the " +
        "browser's settings (the camera icon in the address bar), then reload the page.",
      NotFoundError: "No camera was found. Plug one in or use a phone.",
      NotReadableError: "The camera is in use by another app. Close it, then reload.",
    }[err.name];
    throw new Error(why || `The camera could not start: ${err.message}`);
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws/live`);
  ws.onopen = () => ws.send(JSON.stringify({ type: "start", resume: state.sessionId }));
  ws.onmessage = (event) => onMessage(JSON.parse(event.data));
  ws.onclose = (event) => onClose(event);
  state.ws = ws;
}

function onClose(event) {
  state.ws = null;
  state.ready = false;
  if (state.finished && stats.summary) return;
  if (event.code === 1008 || event.code === 1009) {
    stats.closeReason = event.reason;
    stopCamera();
    say(`The server stopped the session: ${event.reason}`, true);
    return;
  }
  if (state.tries >= RECONNECT_TRIES) {
    say("Lost the connection to the server. Reload the page to start again.", true);
    return;
  }
  state.tries += 1;
  say("Connection lost: reconnecting (your count is kept)...");
  setTimeout(connect, 1000 * state.tries);
}

function onMessage(msg) {
  if (msg.type === "ready") {
    if (state.sessionId) stats.reconnects += 1;
    state.sessionId = msg.session_id;
    state.poseRateHz = msg.pose_rate_hz;
    state.tries = 0;
    state.ready = true;
    flushPending();
    say("Coaching: get into position, side-on to the camera, whole body in view.");
  } else if (msg.type === "update") {
    showUpdate(msg);
  } else if (msg.type === "summary") {
    showSummary(msg);
  } else if (msg.type === "saved") {
    stats.saved = msg.session_id;
    $("saved").textContent = `Saved (session ${msg.session_id}).`;
    $("save").hidden = true;
  } else if (msg.type === "error") {
    $("saved").textContent = msg.message;
  }
}

function showUpdate(msg) {
  stats.repCount = msg.rep_count;
  $("count").textContent = String(msg.rep_count);
  if (msg.cue) {
    $("cue").textContent = msg.cue;
    stats.cues.push(msg.cue);
    speak(msg.cue);
    clearTimeout(state.cueTimer);
    state.cueTimer = setTimeout(() => { $("cue").textContent = ""; }, CUE_SHOWN_MS);
  }
  // Landmarks sent -> count and cue on screen: measured when the next frame is painted.
  const sent = msg.t_sent;
  requestAnimationFrame(() => {
    const ms = performance.now() - sent;
    stats.latenciesMs.push(ms);
    if (msg.cue) stats.cueLatenciesMs.push(ms);
  });
}

function speak(text) {
  if ($("mute").checked || !("speechSynthesis" in window)) return;
  speechSynthesis.cancel();
  speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, Math.round(v * 1e5) / 1e5));
}

function sendFrame(tS, points, video) {
  const landmarks = points && points.map((p) => [
    clamp(p.x, -1, 2), clamp(p.y, -1, 2), clamp(p.z, -10, 10), clamp(p.visibility ?? 0, 0, 1),
  ]);
  const frame = {
    type: "frame", t_s: tS, t_sent: performance.now(),
    size_wh: [video.videoWidth, video.videoHeight], landmarks: landmarks || null,
  };
  stats.firstTS ??= tS;
  stats.lastTS = tS;
  if (points) stats.lastPersonTS = tS;
  const ws = state.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN || !state.ready) {
    // Reconnecting: keep the newest frames, so the set goes on where it was when the socket is back.
    state.pending.push(frame);
    if (state.pending.length > MAX_PENDING) state.pending.shift();
    return;
  }
  if (ws.bufferedAmount > MAX_BUFFERED) return; // a slow network: skip rather than queue
  ws.send(JSON.stringify(frame));
  stats.framesSent += 1;
}

function flushPending() {
  for (const frame of state.pending.splice(0)) {
    state.ws.send(JSON.stringify(frame));
    stats.framesSent += 1;
  }
}

function drawSkeleton(points, video) {
  const canvas = $("skeleton");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!points) return;
  const w = canvas.width, h = canvas.height;
  ctx.lineWidth = Math.max(3, w / 250);
  ctx.strokeStyle = "#2ec4b6";
  for (const { start, end } of PoseLandmarker.POSE_CONNECTIONS) {
    ctx.beginPath();
    ctx.moveTo(points[start].x * w, points[start].y * h);
    ctx.lineTo(points[end].x * w, points[end].y * h);
    ctx.stroke();
  }
  ctx.fillStyle = "#ffffff";
  for (const p of points) {
    ctx.beginPath();
    ctx.arc(p.x * w, p.y * h, ctx.lineWidth, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function poseLoop(video) {
  const onFrame = (now, meta) => {
    if (state.finished) return;
    video.requestVideoFrameCallback(onFrame);
    const stampMs = meta?.captureTime ?? now;
    state.t0 ??= stampMs;
    const ms = Math.max(stampMs - state.t0, state.lastPosedMs + 1);
    if (ms - state.lastPosedMs < 1000 / state.poseRateHz - 17) return; // pose at the asked rate
    state.lastPosedMs = ms;
    const result = state.landmarker.detectForVideo(video, ms);
    const points = result.landmarks?.[0] ?? null;
    drawSkeleton(points, video);
    sendFrame(ms / 1000, points, video);
  };
  video.requestVideoFrameCallback(onFrame);
}

function stopCamera() {
  state.finished = true;
  state.stream?.getTracks().forEach((track) => track.stop());
  drawSkeleton(null, $("camera"));
}

function finish() {
  $("finish").disabled = true;
  stopCamera();
  if (state.ws?.readyState === WebSocket.OPEN) {
    state.ws.send(JSON.stringify({ type: "finish" }));
    say("Summing up...");
  } else {
    say("Not connected to the server: the session could not be summed up.", true);
  }
}

function showSummary(msg) {
  stats.summary = msg;
  const faults = Object.entries(msg.faults).map(([code, n]) => `${code} x${n}`).join(", ");
  $("sum-reps").textContent = String(msg.reps);
  $("sum-clean").textContent = String(msg.clean);
  $("sum-unchecked").textContent = String(msg.not_checked);
  $("sum-faults").textContent = faults || "none";
  const notes = $("sum-notes");
  notes.replaceChildren(...[...msg.cues, ...msg.warnings].map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
  $("save").hidden = !msg.may_save;
  const why = $("save-why");
  why.hidden = msg.may_save;
  why.replaceChildren();
  if (!msg.may_save) {
    const setup = document.createElement("a");
    setup.href = "/";
    setup.textContent = "Consent and screening";
    why.append(`Not saved: ${msg.why_not} `, setup);
  }
  $("summary").hidden = false;
  say("Finished.");
}

async function begin() {
  $("start").disabled = true;
  const video = $("camera");
  try {
    state.stream = await startCamera();
  } catch (err) {
    say(err.message, true);
    $("start").disabled = false;
    return;
  }
  video.srcObject = state.stream;
  await video.play();
  // A phone held upright gives a tall picture: size the stage to it, not to 16:9.
  $("stage").style.aspectRatio = `${video.videoWidth} / ${video.videoHeight}`;
  connect();
  $("finish").disabled = false;
  poseLoop(video);
}

async function main() {
  const mute = $("mute");
  mute.checked = localStorage.getItem(MUTE_KEY) === "1";
  mute.addEventListener("change", () => localStorage.setItem(MUTE_KEY, mute.checked ? "1" : "0"));
  $("finish").addEventListener("click", finish);
  $("save").addEventListener("click", () => state.ws?.send(JSON.stringify({ type: "save" })));
  const blocked = cameraBlocked();
  if (blocked) {
    say(blocked, true);
    return;
  }
  try {
    state.landmarker = await loadModel();
  } catch (err) {
    say(`The pose model could not load: ${err.message}`, true);
    return;
  }
  say("Ready. Prop the phone up side-on, then start the camera.");
  $("start").disabled = false;
  $("start").addEventListener("click", begin);
}

main();
