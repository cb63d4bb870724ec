// backcoach's camera coach in the session player (issue 15; docs/camera.md): per exercise, opt-in,
// the phone's camera counts the reps and flags half reps and faults, one short cue at a time.
// Nothing of its runtime (about 17 MB) loads before "Count with the camera" and the camera are
// allowed; the video never leaves the page (MediaPipe's PoseLandmarker runs here, camera_counter.js
// counts). The reps then go into the set's form for the person to check and save. Every word is
// in templates/camera_panel.html. After player.js, player_steps.js and camera_counter.js.
"use strict";
(function () {
  const panels = Array.prototype.slice.call(document.querySelectorAll("[data-camera-panel]"));
  const counting = window.backcoachCameraCounter;
  if (!panels.length || !counting) return;
  const player = window.backcoachPlayer || null;
  const filesTag = document.getElementById("camera-files");
  const files = filesTag ? JSON.parse(filesTag.textContent) : null;
  const CUE_MS = 3000; // a cue stays this long, unless a newer one replaces it
  // The landmarks the count reads unseen this long: "not in view" (while counting, a moment
  // lost at the far end of a rep is no matter: the counter skips those frames).
  const OUT_OF_VIEW_MS = 1000;
  const LOST_WHILE_COUNTING_MS = 2500;
  const STEADY_MS = 800; // still this long near the start position: counting starts
  const FPS_WINDOW_MS = 3000;
  const LIVE_GAP_MS = 1500; // a screen reader hears the count at most this often

  let runtime = null; // the promise of the PoseLandmarker, made once, kept for the next set
  let active = null; // the camera set under way (one at a time on the page)
  let last = null; // the last camera set, for window.backcoachCamera.state()
  let clock = 0; // detectForVideo wants times that always increase, across sets too

  // --- the runtime, loaded once the camera is on ------------------------------------------------

  function landmarker() {
    if (runtime) return runtime;
    runtime = (async function () {
      const vision = await import(files.bundle);
      const simd = await vision.FilesetResolver.isSimdSupported();
      const fileset = simd
        ? { wasmLoaderPath: files.loader, wasmBinaryPath: files.wasm }
        : { wasmLoaderPath: files.loader_nosimd, wasmBinaryPath: files.wasm_nosimd };
      const make = function (delegate) {
        return vision.PoseLandmarker.createFromOptions(fileset, { runningMode: "VIDEO", numPoses: 1,
          baseOptions: { modelAssetPath: files.model, delegate: delegate } });
      };
      try {
        if (realGpu()) return await make("GPU");
      } catch (error) { /* WebGL refused: the CPU does it */ }
      return make("CPU");
    })();
    runtime.catch(function () { runtime = null; }); // a later tap tries again
    return runtime;
  }

  // A phone's GPU is several times faster; a software one (no GPU: WebGL drawn by the CPU) is
  // far slower than the CPU itself (15 s a frame, measured in headless Chromium).
  function realGpu() {
    const gl = document.createElement("canvas").getContext("webgl2");
    const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
    const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
    return Boolean(gl) && !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
  }

  // --- what the panel shows --------------------------------------------------------------------

  function part(panel, name) {
    return panel.querySelector("[data-camera-" + name + "]");
  }

  // The panel in one of its phases: "asking" (the camera being opened, the runtime loading),
  // "camera" (the picture on), "counting", "ended" (a result), "failed" (a message), "closed".
  function layout(set, phase) {
    const panel = set.panel;
    const start = part(panel, "start");
    start.hidden = phase !== "ended" && phase !== "closed";
    start.setAttribute("aria-expanded", start.hidden ? "true" : "false");
    set.box.hidden = phase === "closed";
    set.stage.hidden = phase !== "camera" && phase !== "counting";
    part(panel, "count").hidden = phase !== "counting";
    part(panel, "stop").hidden = phase === "ended" || phase === "failed";
    part(panel, "close").hidden = phase !== "failed";
    if (phase !== "counting") part(panel, "cue").hidden = true;
    set.box.classList.toggle("counting", phase === "counting");
    set.box.classList.toggle("ended", phase === "ended" || phase === "failed"); // no guide
    if (phase !== "counting") set.box.classList.remove("cueing");
  }

  function plural(panel, name, number) {
    const form = number === 1 ? panel.dataset[name + "One"] : panel.dataset[name + "Other"];
    return form.replace("%(num)s", String(number));
  }

  function showMessage(set, name) {
    if (set.message === name) return; // a status region: said once, not at every frame
    set.panel.querySelectorAll("[data-camera-message]").forEach(function (message) {
      message.hidden = message.dataset.cameraMessage !== name;
    });
    set.message = name;
  }

  function showReps(set, reps) {
    part(set.panel, "reps").textContent = String(reps);
    const words = plural(set.panel, "reps", reps);
    part(set.panel, "reps-word").textContent = words.replace(/^\S+\s*/, ""); // the number is big
  }

  // Polite and throttled: a screen reader hears the latest count or cue, never every frame.
  function tell(set, text, now) {
    set.pendingLive = text;
    if (set.liveTimer !== null) return;
    set.liveTimer = window.setTimeout(function () {
      set.liveTimer = null;
      set.liveAt = performance.now();
      set.live.textContent = set.pendingLive;
    }, Math.max(0, set.liveAt + LIVE_GAP_MS - now));
  }

  // Spoken only when the person turned the player's voice on (player.js).
  const say = player && player.say ? player.say : function () {};

  // --- one camera set --------------------------------------------------------------------------

  function newSet(panel) {
    const reference = JSON.parse(part(panel, "reference").textContent);
    const rule = reference.count;
    return {
      panel: panel, reference: reference, words: reference.words || {},
      section: panel.closest("[data-exercise]"), box: part(panel, "box"),
      stage: part(panel, "stage"), video: part(panel, "video"), overlay: part(panel, "overlay"),
      live: part(panel, "live"), needed: [].concat.apply([], rule.measure.points),
      minimum: rule.measure.min_visibility === undefined ? 0.5 : rule.measure.min_visibility,
      running: false, stopped: false, stream: null, tracker: null, counter: null, handle: null,
      lastVideoTime: -1, frames: 0, times: [], readings: [], unseenSince: null, shownReps: 0,
      shownEvents: 0, cueTimer: null, spokeAt: -Infinity, liveTimer: null, liveAt: -Infinity,
      pendingLive: "", message: "", form: null, amountAtStart: null,
    };
  }

  async function start(panel) {
    if (active) stop(active, "another");
    const set = newSet(panel);
    active = last = set;
    layout(set, "asking");
    showReps(set, 0);
    part(panel, "stop").focus({ preventScroll: true });
    panel.scrollIntoView({ block: "start", behavior: "auto" });
    set.form = targetForm(set.section);
    const amount = set.form && set.form.querySelector('[name="' + set.section.dataset.unit + '"]');
    set.amountAtStart = amount ? amount.value : null;
    if (!window.isSecureContext) return fail(set, "insecure");
    const devices = navigator.mediaDevices;
    if (!devices || !devices.getUserMedia) return fail(set, "no-camera");
    if (!files) return fail(set, "failed");
    showMessage(set, "asking");
    // The camera first: refused, nothing of the runtime's 17 MB is fetched for nothing.
    try {
      set.stream = await devices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false,
      });
    } catch (error) {
      const refused = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      if (!set.stopped) fail(set, refused ? "denied" : "no-camera");
      return;
    }
    if (set.stopped) return stopTracks(set);
    set.video.srcObject = set.stream;
    const track = set.stream.getVideoTracks()[0];
    const facing = track && track.getSettings ? track.getSettings().facingMode : undefined;
    // A mirror for a person facing the phone (a laptop's camera says no facing: it faces you).
    const mirrored = panel.dataset.side === "front" && facing !== "environment";
    set.stage.classList.toggle("mirrored", mirrored);
    layout(set, "camera");
    try {
      await set.video.play();
    } catch (error) { /* a muted video plays; if not, its frames still arrive */ }
    if (player && player.keepAwake) player.keepAwake();
    // The picture from its top (the page may have kept another place in view as it grew).
    panel.scrollIntoView({ block: "start", behavior: "auto" });
    showMessage(set, "loading");
    try {
      set.tracker = await landmarker();
    } catch (error) {
      if (!set.stopped) fail(set, "failed");
      return;
    }
    if (set.stopped) return;
    set.running = true;
    showMessage(set, "get-ready");
    next(set);
  }

  function fail(set, name) {
    stopTracks(set);
    set.stopped = true;
    if (active === set) active = null;
    layout(set, "failed");
    showMessage(set, name);
    part(set.panel, "close").focus({ preventScroll: true });
  }

  function stopTracks(set) {
    set.running = false;
    if (set.handle !== null && set.video.cancelVideoFrameCallback) {
      set.video.cancelVideoFrameCallback(set.handle);
    } else if (set.handle !== null) window.cancelAnimationFrame(set.handle);
    set.handle = null;
    if (set.stream) set.stream.getTracks().forEach(function (track) { track.stop(); });
    set.stream = null;
    set.video.pause();
    set.video.srcObject = null;
  }

  // The set in progress: the one the person has on the screen (the player shows one at a time),
  // else the first not saved yet, else the last.
  function targetForm(section) {
    const forms = Array.prototype.slice.call(section.querySelectorAll("form.set-form"));
    const shown = forms.filter(function (form) { return !form.hidden; });
    if (shown.length === 1) return shown[0];
    return forms.find(function (form) { return !form.classList.contains("saved"); }) ||
      forms[forms.length - 1] || null;
  }

  // How the set ends: "stop" (the person's button: the reps fill the form and focus goes there),
  // "left" (another exercise shown, the page hidden: the reps fill the form), "saved" (the form
  // is being saved: the caller fills it), "another" (a camera set started elsewhere).
  function stop(set, how) {
    if (set.stopped) return null;
    set.stopped = true;
    stopTracks(set);
    if (active === set) active = null;
    window.clearTimeout(set.cueTimer); // the last count still reaches a screen reader
    const result = set.counter ? set.counter.result() : null;
    if (!result || how === "saved" || how === "another") {
      layout(set, "closed"); // stopped before counting began: nothing to fill
      if (how === "stop") part(set.panel, "start").focus({ preventScroll: true });
      return result;
    }
    layout(set, "ended");
    const line = part(set.panel, 'message="result"');
    line.textContent = result.reps > 0 ? resultWords(set.panel, result) : set.panel.dataset.none;
    showMessage(set, "result");
    const amount = result.reps > 0 ? fill(set, result.reps) : null;
    if (how !== "stop") return result;
    if (amount) {
      describe(amount, line.id, true); // the line is read with the number it asks to check
      amount.focus({ preventScroll: true });
      amount.scrollIntoView({ block: "center", behavior: "auto" });
    } else part(set.panel, "start").focus({ preventScroll: true });
    return result;
  }

  function describe(input, id, on) {
    const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (one) {
      return one && one !== id;
    });
    input.setAttribute("aria-describedby", ids.concat(on ? [id] : []).join(" "));
  }

  function resultWords(panel, result) {
    let words = plural(panel, "counted", result.reps);
    const half = result.half_reps.length;
    if (half > 0) words = words.replace(/\.$/, "") + " " + plural(panel, "half", half) + ".";
    return words + " " + panel.dataset.check;
  }

  // The reps into the set's form (contract: amount and camera_reps); never saved from here.
  function fill(set, reps) {
    const form = set.form && set.section.contains(set.form) ? set.form : targetForm(set.section);
    if (!form) return null;
    const amount = form.querySelector('[name="' + set.section.dataset.unit + '"]');
    const recorded = form.querySelector('[name="camera_reps"]');
    if (recorded) recorded.value = String(reps);
    if (!amount) return null;
    amount.value = String(reps);
    amount.dispatchEvent(new Event("change", { bubbles: true }));
    return amount;
  }

  // --- the frames ------------------------------------------------------------------------------

  function next(set) {
    if (!set.running) return;
    if (set.video.requestVideoFrameCallback) {
      set.handle = set.video.requestVideoFrameCallback(function () { frame(set); });
    } else set.handle = window.requestAnimationFrame(function () { frame(set); });
  }

  function frame(set) {
    set.handle = null;
    if (!set.running) return;
    const video = set.video;
    if (video.readyState >= 2 && video.videoWidth > 0 && video.currentTime !== set.lastVideoTime) {
      set.lastVideoTime = video.currentTime;
      clock = Math.max(performance.now(), clock + 1);
      let found = null;
      try {
        found = set.tracker.detectForVideo(video, clock);
      } catch (error) {
        fail(set, "failed");
        return;
      }
      const pose = found && found.landmarks && found.landmarks[0];
      seen(set, clock, pose ? pose.map(function (point) {
        return [point.x, point.y, point.z, point.visibility === undefined ? 0 : point.visibility];
      }) : null);
    }
    next(set);
  }

  function inView(set, landmarks) {
    return landmarks !== null && set.needed.every(function (index) {
      const point = landmarks[index];
      return point[3] >= set.minimum && Math.min(point[0], point[1]) >= 0 &&
        Math.max(point[0], point[1]) <= 1;
    });
  }

  // One processed frame: the speed, the picture's marks, then waiting or counting.
  function seen(set, now, landmarks) {
    set.frames += 1;
    set.times.push(now);
    while (set.times.length > 2 && now - set.times[0] > FPS_WINDOW_MS) set.times.shift();
    const aspect = set.video.videoWidth / set.video.videoHeight;
    const visible = inView(set, landmarks);
    draw(set, landmarks, visible);
    if (visible) set.unseenSince = null;
    else if (set.unseenSince === null) set.unseenSince = now;
    const lost = set.unseenSince !== null &&
      now - set.unseenSince >= (set.counter ? LOST_WHILE_COUNTING_MS : OUT_OF_VIEW_MS);
    if (!set.counter) {
      showMessage(set, lost ? "not-in-view" : "get-ready");
      if (visible && steady(set, now, landmarks, aspect)) begin(set, aspect);
      return;
    }
    if (landmarks) set.counter.push(now, landmarks);
    showMessage(set, lost ? "not-in-view" : "counting");
    const result = set.counter.result();
    if (result.reps !== set.shownReps) {
      set.shownReps = result.reps;
      showReps(set, result.reps);
      tell(set, plural(set.panel, "reps", result.reps), now);
      if (now - set.spokeAt > CUE_MS) say(String(result.reps)); // a cue said is not cut off
    }
    const events = result.half_reps.concat(result.faults);
    if (events.length > set.shownEvents) {
      set.shownEvents = events.length;
      const newest = events.reduce(function (a, b) { return b.t >= a.t ? b : a; });
      cue(set, set.words[newest.code] || "", now);
    }
  }

  // Counting starts with the person still near the start position, so getting there (walking
  // to the mat, lying down) is never counted.
  function steady(set, now, landmarks, aspect) {
    const rule = set.reference.count;
    const value = counting.measure(rule.measure, landmarks, aspect);
    if (value === null) {
      set.readings = [];
      return false;
    }
    set.readings.push([now, value]);
    while (now - set.readings[0][0] > STEADY_MS) set.readings.shift();
    const values = set.readings.map(function (reading) { return reading[1]; });
    const still = Math.max.apply(null, values) - Math.min.apply(null, values);
    const progress = (value - rule.rest) / (rule.far - rule.rest);
    return now - set.readings[0][0] >= STEADY_MS * 0.9 && progress < rule.start + 0.2 &&
      still <= 0.15 * Math.abs(rule.far - rule.rest);
  }

  function begin(set, aspect) {
    set.counter = counting.create(set.reference, aspect);
    layout(set, "counting");
    showMessage(set, "counting");
    say(part(set.panel, 'message="counting"').textContent.trim());
  }

  function cue(set, text, now) {
    if (!text) return;
    const shown = part(set.panel, "cue");
    shown.textContent = text;
    shown.hidden = false;
    set.box.classList.add("cueing");
    window.clearTimeout(set.cueTimer);
    set.cueTimer = window.setTimeout(function () {
      shown.hidden = true;
      set.box.classList.remove("cueing");
    }, CUE_MS);
    tell(set, text, now);
    set.spokeAt = now;
    say(text);
  }

  // The joints the count reads, joined as its measure's lines where seen: green when all are.
  function draw(set, landmarks, visible) {
    const canvas = set.overlay;
    const width = set.video.videoWidth;
    const height = set.video.videoHeight;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      set.stage.style.setProperty("--camera-aspect", String(width / height));
    }
    const pen = canvas.getContext("2d");
    pen.clearRect(0, 0, width, height);
    if (!landmarks) return;
    const joints = set.reference.count.measure.points.map(function (group) {
      const points = group.map(function (index) { return landmarks[index]; });
      const seenAll = points.every(function (point) { return point[3] >= set.minimum; });
      const mean = function (axis) {
        return points.reduce(function (sum, p) { return sum + p[axis]; }, 0) / points.length;
      };
      return seenAll ? [mean(0) * width, mean(1) * height] : null;
    });
    const size = Math.max(4, Math.round(Math.min(width, height) / 60));
    pen.lineWidth = size;
    pen.lineCap = pen.lineJoin = "round";
    pen.strokeStyle = visible ? "rgba(46, 230, 190, 0.95)" : "rgba(255, 200, 60, 0.95)";
    pen.fillStyle = "#ffffff";
    pen.beginPath();
    joints.forEach(function (point, i) {
      if (point && i > 0 && joints[i - 1]) pen.lineTo(point[0], point[1]);
      else if (point) pen.moveTo(point[0], point[1]);
    });
    pen.stroke();
    joints.forEach(function (point) {
      if (!point) return;
      pen.beginPath();
      pen.arc(point[0], point[1], size * 1.2, 0, 2 * Math.PI);
      pen.fill();
    });
  }

  // --- the page --------------------------------------------------------------------------------

  panels.forEach(function (panel) {
    panel.hidden = false;
    part(panel, "start").addEventListener("click", function () { start(panel); });
    part(panel, "stop").addEventListener("click", function () {
      if (active && active.panel === panel) stop(active, "stop");
      else if (last && last.panel === panel) layout(last, "closed");
    });
    part(panel, "close").addEventListener("click", function () {
      layout(last, "closed");
      part(panel, "start").focus({ preventScroll: true });
    });
    // Another exercise shown (player_steps.js hides this one): the camera stops.
    const section = panel.closest("[data-exercise]");
    if (section) {
      section.classList.add("has-camera");
      new MutationObserver(function () {
        if (section.hidden && active && active.section === section) stop(active, "left");
      }).observe(section, { attributes: true, attributeFilter: ["hidden"] });
    }
  });

  // A set saved while the camera counts: the count goes with it (first, in the capture phase,
  // before player_saving.js reads the form), unless the person typed another number meanwhile.
  // Saved after counting: the "check and save" line has done its work and goes.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const section = form.closest ? form.closest("[data-exercise]") : null;
    const panel = section && section.querySelector("[data-camera-panel]");
    if (!panel || !form.classList.contains("set-form")) return;
    const set = active && active.section === section ? active : null;
    const result = set ? stop(set, "saved") : null;
    const amount = form.querySelector('[name="' + section.dataset.unit + '"]');
    if (result && result.reps > 0) {
      const recorded = form.querySelector('[name="camera_reps"]');
      if (recorded) recorded.value = String(result.reps);
      if (amount && (form !== set.form || amount.value === set.amountAtStart)) {
        amount.value = String(result.reps);
      }
    }
    part(panel, "box").hidden = true;
    if (amount) describe(amount, part(panel, 'message="result"').id, false);
  }, true);

  window.addEventListener("hashchange", function () {
    if (!active) return;
    const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (!target || !active.section.contains(target)) stop(active, "left");
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && active) stop(active, "left");
  });
  window.addEventListener("pagehide", function () {
    if (active) stop(active, "left");
    if (runtime) runtime.then(function (tracker) { tracker.close(); }).catch(function () {});
    runtime = null;
  });

  // The set under way, or the last: reps, half reps and faults as the counter gives them
  // (camera_counter.js result()), frames read by the landmarker and their rate lately.
  window.backcoachCamera = { state: function () {
    const set = last || { times: [], frames: 0, message: "" };
    const result = set.counter ? set.counter.result() : { reps: 0, half_reps: [], faults: [] };
    const times = set.times, span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
    return { running: Boolean(set.running), counting: Boolean(set.running && set.counter),
      message: set.message, reps: result.reps, half_reps: result.half_reps, faults: result.faults,
      frames: set.frames, fps: span > 0 ? Math.round((times.length - 1) / span * 10000) / 10 : 0 };
  } };
})();
