/* The camera counter in the browser: a small interpreter of a motion reference over MediaPipe
 * landmarks, the line-by-line port of engine/camera_counter.py (the reference implementation;
 * its docstring and docs/camera.md give the rules). tests/integration/test_camera_conformance.py
 * runs both on the same generated sets and requires the same reps, half reps and faults, so a
 * change here is a change there too, in the same order of operations.
 *
 * Use: var counter = backcoachCameraCounter.create(referenceJson, aspect);
 *      counter.push(timeMs, landmarks);  // 33 x [x, y, z, visibility], per frame
 *      counter.result();                 // {exercise, reps, half_reps, faults, frames, skipped}
 * No dependencies and no eval (the pages' strict content policy); plain objects, no classes. */
(function (root) {
  "use strict";

  // A pair of shoulders is about twice as wide as a pair of hips (engine/figure.py's widths).
  var HIPS_OVER_SHOULDERS = 0.5;
  // Python's math.degrees multiplies by this one constant; so must we, to agree to the bit.
  var RADIANS_TO_DEGREES = 180.0 / Math.PI;

  // A measure's value on one frame (degrees or a ratio), or null when it cannot be read.
  function measure(spec, landmarks, aspect) {
    var minimum = spec.min_visibility === undefined ? 0.5 : spec.min_visibility;
    var points = [];
    for (var g = 0; g < spec.points.length; g++) {
      var group = spec.points[g];
      var x = 0.0;
      var y = 0.0;
      for (var i = 0; i < group.length; i++) {
        var landmark = landmarks[group[i]];
        if (landmark[3] < minimum) return null;
        x += landmark[0] * aspect; // back to square image units
        y += landmark[1];
      }
      points.push([x / group.length, y / group.length]);
    }
    var kind = spec.kind;
    if (kind === "angle") return angle(points[0], points[1], points[2]);
    if (kind === "elevation") {
      var a = points[0];
      var b = points[1];
      return Math.atan2(a[1] - b[1], Math.abs(b[0] - a[0])) * RADIANS_TO_DEGREES;
    }
    if (kind === "twist") return twist(points);
    if (kind === "inward") return inward(points);
    throw new Error("unknown measure kind " + kind);
  }

  // Seen from the side, the hips setting off the trunk's line more than the shoulders (half as
  // much), over the trunk's length, signed by the way the person faces (nose ahead of the ears).
  function twist(points) {
    var a = points[0], b = points[1], c = points[2], d = points[3];
    var e = points[4], f = points[5], nose = points[6], ears = points[7];
    var line = [f[0] - e[0], f[1] - e[1]];
    var size = line[0] * line[0] + line[1] * line[1];
    var facing = line[0] * (nose[1] - ears[1]) - line[1] * (nose[0] - ears[0]);
    if (size === 0 || facing === 0) return null;
    var hips = line[0] * (b[1] - a[1]) - line[1] * (b[0] - a[0]);
    var shoulders = line[0] * (d[1] - c[1]) - line[1] * (d[0] - c[0]);
    var value = (hips - HIPS_OVER_SHOULDERS * shoulders) / size;
    return facing > 0 ? value : -value;
  }

  // The knees' horizontal offset toward the midline from their ankles, over the leg's length.
  function inward(points) {
    var kneeL = points[0], ankleL = points[1], kneeR = points[2], ankleR = points[3];
    var hipL = points[4], hipR = points[5];
    var scale = (distance(hipL, ankleL) + distance(hipR, ankleR)) / 2;
    if (scale === 0) return null;
    var towardL = ankleR[0] > ankleL[0] ? 1.0 : -1.0;
    var value = (kneeL[0] - ankleL[0]) * towardL - (kneeR[0] - ankleR[0]) * towardL;
    return value / 2 / scale;
  }

  function create(reference, aspect) {
    if (!reference.judgeable) throw new Error("the camera cannot judge " + reference.exercise);
    var rule = reference.count;
    var checks = [];
    reference.faults.forEach(function (spec) {
      if (spec.judged) {
        checks.push({spec: spec, recent: [], smoothed: null, progress: 0.0, baseline: null,
          overSince: null, flagged: false});
      }
    });
    var state = {
      aspect: aspect === undefined ? 1.0 : aspect, reps: 0, attempt: 0, moving: false, peak: 0.0,
      recent: [], smoothed: null, restLevel: null, restCeiling: 0.0, span: null, firstMs: null,
      stillAt: 0.0, stillSince: 0.0, lastMs: null, frames: 0, skipped: 0, halfReps: [],
      faults: []
    };

    function push(timeMs, landmarks) {
      var index = state.frames;
      state.frames += 1;
      var value = measure(rule.measure, landmarks, state.aspect);
      if (value === null) {
        state.skipped += 1;
        return;
      }
      var gap = state.lastMs === null ? 0.0 : Math.max(0.0, timeMs - state.lastMs);
      state.lastMs = timeMs;
      state.recent = state.recent.slice(-2).concat([value]);
      value = median(state.recent); // one wild frame (a landmark mistaken) is dropped
      // A time-constant filter: the same smoothing at any frame rate.
      var weight = state.smoothed !== null ? 1.0 - Math.exp(-gap / rule.smoothing_ms) : 1.0;
      state.smoothed = state.smoothed === null
        ? value : state.smoothed + weight * (value - state.smoothed);
      var progress = (state.smoothed - rule.rest) / (rule.far - rule.rest);
      var rawProgress = (value - rule.rest) / (rule.far - rule.rest);
      checks.forEach(function (check) {
        var reading = measure(check.spec.measure, landmarks, state.aspect);
        if (reading === null) return;
        check.recent = check.recent.slice(-2).concat([reading]);
        reading = median(check.recent);
        if (check.smoothed === null) {
          check.smoothed = reading;
          check.progress = rawProgress;
        } else {
          // The progress is smoothed alike, so the two stay in step.
          var slow = 1.0 - Math.exp(-gap / check.spec.smoothing_ms);
          check.smoothed += slow * (reading - check.smoothed);
          check.progress += slow * (rawProgress - check.progress);
        }
      });
      if (state.firstMs === null) state.firstMs = timeMs;
      if (timeMs - state.firstMs < rule.warmup_ms || state.restLevel === null) {
        // The set starts at rest: its first moments say where rest is (taken whole, so one
        // wild first frame cannot stay).
        state.restCeiling = rule.rest_cap;
        state.restLevel = Math.min(progress, state.restCeiling);
        learnRest(gap, rule.baseline_ms);
        return;
      }
      var above = progress - state.restLevel;
      if (!state.moving) {
        if (above > rule.start) {
          state.moving = true;
          state.peak = progress;
          state.attempt += 1;
          state.stillAt = progress;
          state.stillSince = timeMs;
          checks.forEach(function (check) {
            check.overSince = null;
            check.flagged = false;
          });
        } else {
          // The person's own rest, learnt slowly and capped so a rep's slow start cannot lift it.
          var still = 1.0 - Math.exp(-gap / rule.rest_ms);
          state.restLevel += still * (Math.min(progress, state.restCeiling) - state.restLevel);
          learnRest(gap, rule.baseline_ms);
          return;
        }
      }
      state.peak = Math.max(state.peak, progress);
      checkFaults(index, timeMs);
      if (Math.abs(progress - state.stillAt) > rule.still_band) {
        state.stillAt = progress;
        state.stillSince = timeMs;
      } else if (timeMs - state.stillSince >= rule.settle_ms && above < rule.full) {
        // Still for long short of the far end: the person settled somewhere new (the phone or
        // their position moved). That is their rest now; the attempt is dropped.
        state.moving = false;
        state.restLevel = progress;
        state.restCeiling = progress + rule.rest_cap;
        return;
      }
      if (above < rule.release) {
        state.moving = false;
        var travel = state.peak - state.restLevel;
        if (travel >= rule.full * (state.span || 1.0)) {
          state.reps += 1;
          // Full reps teach the person's range as this camera sees it; half reps are judged
          // against it.
          state.span = state.span === null ? travel : state.span + 0.3 * (travel - state.span);
        } else {
          state.halfReps.push(event("rep.half", state.attempt, index, timeMs));
        }
      }
    }

    // At rest each fault measure's baseline follows it slowly (the person's own posture), less
    // the demonstration's change at the progress already made (a rep about to start).
    function learnRest(gap, baselineMs) {
      var weight = 1.0 - Math.exp(-gap / baselineMs);
      checks.forEach(function (check) {
        if (check.smoothed === null) return;
        var offset = check.smoothed - along(check.spec.path, check.progress);
        if (check.baseline === null) check.baseline = offset;
        else check.baseline += weight * (offset - check.baseline);
      });
    }

    function checkFaults(index, timeMs) {
      checks.forEach(function (check) {
        var spec = check.spec;
        if (check.flagged || check.smoothed === null || check.baseline === null) return;
        var gap = Math.abs(check.smoothed - check.baseline - along(spec.path, check.progress));
        if (gap <= spec.threshold) {
          check.overSince = null;
          return;
        }
        if (check.overSince === null) check.overSince = timeMs;
        if (timeMs - check.overSince >= spec.hold_ms) {
          check.flagged = true;
          state.faults.push(event(spec.code, state.attempt, index, timeMs));
        }
      });
    }

    function result() {
      return {exercise: String(reference.exercise), reps: state.reps,
        half_reps: state.halfReps.slice(), faults: state.faults.slice(), frames: state.frames,
        skipped: state.skipped};
    }

    return {push: push, result: result};
  }

  // Count a whole set: frames as [{t, landmarks}] in order.
  function count(reference, frames, aspect) {
    var counter = create(reference, aspect);
    frames.forEach(function (frame) {
      counter.push(frame.t, frame.landmarks);
    });
    return counter.result();
  }

  function event(code, rep, frame, timeMs) {
    return {code: code, rep: rep, frame: frame, t: timeMs};
  }

  // The middle of up to three readings (the mean of two).
  function median(values) {
    var ordered = values.slice().sort(function (p, q) { return p - q; });
    var middle = Math.floor(ordered.length / 2);
    return ordered.length % 2 ? ordered[middle] : (ordered[middle - 1] + ordered[middle]) / 2;
  }

  // The demonstration's change at a progress: linear between the path's equal steps.
  function along(path, progress) {
    var at = Math.min(Math.max(progress, 0.0), 1.0) * (path.length - 1);
    var step = Math.min(Math.floor(at), path.length - 2);
    return path[step] + (path[step + 1] - path[step]) * (at - step);
  }

  function angle(a, b, c) {
    var first = [a[0] - b[0], a[1] - b[1]];
    var second = [c[0] - b[0], c[1] - b[1]];
    var size = Math.hypot(first[0], first[1]) * Math.hypot(second[0], second[1]);
    if (size === 0) return null;
    var cosine = (first[0] * second[0] + first[1] * second[1]) / size;
    return Math.acos(Math.min(1.0, Math.max(-1.0, cosine))) * RADIANS_TO_DEGREES;
  }

  function distance(a, b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  var api = {create: create, count: count, measure: measure};
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.backcoachCameraCounter = api;
})(typeof self !== "undefined" ? self : this);
