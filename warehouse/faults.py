"""Named points of a load where a test can stop it: fault injection without timing luck.

A test of atomicity must kill a loader at a known moment, not after a guessed delay (on a busy 2-core machine a
load sometimes publishes before a timed kill lands). The loader calls `reached("<point>")` at each step that
matters; when `IMC_FAULT_POINT` names that step the process:

- `IMC_FAULT_ACTION=pause` (the default): writes `IMC_FAULT_MARKER` (a file path) and waits there, so the test
  sees the marker and kills it with SIGKILL, exactly at that point;
- `IMC_FAULT_ACTION=kill`: kills itself with SIGKILL;
- `IMC_FAULT_ACTION=enospc`: raises `OSError(ENOSPC)`, as a full disk would at that step.
- `IMC_FAULT_ACTION=wait`: writes the marker and waits until the file `IMC_FAULT_RELEASE` exists, then goes on
  (two DuckLake loaders, or a loader and a reader, made to overlap at a known moment).

Unset (every real run), `reached` is one dictionary lookup.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

POINT_ENV = "IMC_FAULT_POINT"
ACTION_ENV = "IMC_FAULT_ACTION"
MARKER_ENV = "IMC_FAULT_MARKER"
RELEASE_ENV = "IMC_FAULT_RELEASE"

# the points, in the order a load passes them (tests iterate over this list)
POINTS = (
    "copied",  # the warehouse copied to the private .loading file
    "read",  # every file read and parsed
    "validated",  # the expectation suites run
    "written",  # rows written, quarantine filled, files archived (in the copy)
    "marts",  # the marts rebuilt (in the copy)
    "checkpointed",  # the copy checkpointed and closed, not yet renamed over the published file
    "published",  # the copy renamed over the published file (the new state is the state)
)

# a paused loader that nobody kills ends on its own, so a broken test never leaves a process behind for long
PAUSE_LIMIT_S = 300


def reached(point: str) -> None:
    """Act on the injected fault if `point` is the one the environment names (see module doc)."""
    if os.environ.get(POINT_ENV) != point:
        return
    action = os.environ.get(ACTION_ENV, "pause")
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    marker = os.environ.get(MARKER_ENV)
    if marker:
        tmp = Path(marker + ".tmp")
        tmp.write_text(point, encoding="utf-8")
        os.replace(tmp, marker)
    release = os.environ.get(RELEASE_ENV) if action == "wait" else None
    deadline = time.monotonic() + PAUSE_LIMIT_S
    while time.monotonic() < deadline:
        if release and Path(release).exists():
            return
        time.sleep(0.05)
    os._exit(99)
