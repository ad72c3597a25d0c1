"""Finding the external programs some tests need (Jena's riot, nginx, chromium).

Locally a missing program skips the test with the install command; under CI (CI=true) it
fails, because .ci/run installs them and a skip there would hide a missing install step.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# the shared tools sit beside the checkout (../shared/tools), or further up for a worktree
SHARED_TOOLS = next(
    (p / "shared" / "tools" for p in Path(__file__).resolve().parents[2:] if (p / "shared" / "tools").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "tools",
)


def require(program: str, install: str) -> str:
    found = shutil.which(program)
    if found:
        return found
    message = f"{program} is not installed: {install}"
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run should have installed it)")
    pytest.skip(message)


def riot() -> list[str]:
    """The command that runs Jena's riot (the shared wrapper when present)."""
    require("java", "apt-get install -y libapache-jena-java")
    wrapper = SHARED_TOOLS / "riot"
    if not Path("/usr/share/java/jena-cmds.jar").exists():
        message = "Jena is not installed: apt-get install -y libapache-jena-java"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if wrapper.exists():
        return ["sh", str(wrapper)]
    return [require("riot", "apt-get install -y libapache-jena-java")]


def jena_shacl() -> list[str]:
    """The command that runs Jena's SHACL validator: the shared riot wrapper with JENA_MAIN=shacl.shacl.

    Run it with ``env={**os.environ, "JENA_MAIN": "shacl.shacl"}``; arguments ``validate --shapes
    S --data D`` print the validation report as Turtle.
    """
    command = riot()
    if command[0] != "sh":
        message = f"Jena SHACL needs the riot wrapper in {SHARED_TOOLS} (Debian's riot cannot run it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return command
