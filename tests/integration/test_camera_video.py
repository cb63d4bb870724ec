"""The fake camera's video (tests/support/camera_video.py): a valid 4:2:0 YUV4MPEG2 file with one
frame per landmark frame of the planned set, the person moving between rest and the rep's far
end, and the same bytes every time."""

from __future__ import annotations

import hashlib
from pathlib import Path

from backcoach.catalogue import default_demos
from backcoach.engine.camera_landmarks import Camera, Plan, sequence
from tests.support.camera_video import read_y4m_header, write_y4m


def _frames(path: Path, width: int, height: int) -> list[bytes]:
    data = path.read_bytes()
    body = data[data.index(b"\n") + 1 :]
    size = len(b"FRAME\n") + width * height * 3 // 2
    assert len(body) % size == 0
    frames = [body[i : i + size] for i in range(0, len(body), size)]
    assert all(frame.startswith(b"FRAME\n") for frame in frames)
    return frames


def test_it_writes_a_420_y4m_with_a_frame_for_each_moment_of_the_set(tmp_path: Path) -> None:
    path = tmp_path / "bridge.y4m"
    info = write_y4m(
        path, exercise_id="glute_bridge", reps=1, fps=10, seconds_at_rest=0.5, size=(320, 240)
    )
    assert read_y4m_header(path) == {
        "W": "320",
        "H": "240",
        "F": "10:1",
        "I": "p",
        "A": "1:1",
        "C": "420jpeg",
    }
    planned, _ = sequence(
        default_demos()["glute_bridge"],
        Camera("left", aspect=320 / 240),
        Plan(reps=1, fps=10, noise=0.0, lead_seconds=0.5),
    )
    frames = _frames(path, 320, 240)
    assert (info.frames, info.fps, info.width, info.height, info.reps) == (
        len(planned),
        10,
        320,
        240,
        1,
    )
    assert len(frames) == info.frames
    # Still at rest at both ends; between, a new picture at each of the 3 s of moving (the
    # bridge rises for 1 s and lowers for 2 s, at 10 frames a second).
    assert frames[0] == frames[1] == frames[-1]
    assert len(set(frames)) >= 28
    # Same arguments, same bytes.
    again = tmp_path / "again.y4m"
    write_y4m(
        again, exercise_id="glute_bridge", reps=1, fps=10, seconds_at_rest=0.5, size=(320, 240)
    )
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()
