"""Regenerate a build challenge's `stub.patch` from its `stub/` folder (`python -m lynx.authoring stub DIR`).

The patch turns each reference file listed in build.yaml's `files:` into its stub in `stub/`
(same file name), as one `git diff` made in a scratch repository.
"""

from __future__ import annotations

from pathlib import Path

from lynx.content.fields import Fields, load_yaml
from lynx.vcs import scratch


def make_stub_patch(build_dir: Path, course: Path) -> Path:
    files = Fields(build_dir / "build.yaml", load_yaml(build_dir / "build.yaml")).strs("files", min_len=1)
    out = build_dir / "stub.patch"
    out.write_text(scratch.diff(course, files, {rel: build_dir / "stub" / Path(rel).name for rel in files}),
                   encoding="utf-8")
    return out
