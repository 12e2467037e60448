"""Tools for course authors: regenerate a build challenge's `stub.patch` from its `stub/` folder.

    python -m lynx.authoring stub phases/14-sequence-models/build

The patch turns each reference file listed in build.yaml's `files:` into its stub in `stub/`
(same file name), as one `git diff` made in a scratch repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def make_stub_patch(build_dir: Path, course: Path) -> Path:
    from lynx.content import Fields, load_yaml

    files = Fields(build_dir / "build.yaml", load_yaml(build_dir / "build.yaml")).strs("files", min_len=1)
    with tempfile.TemporaryDirectory(prefix="lynx-stub-") as tmp:
        work = Path(tmp)

        def git(*args: str) -> str:
            return subprocess.run(["git", "-c", "user.name=lynx", "-c", "user.email=lynx@invalid", *args], cwd=work,
                                  check=True, capture_output=True, text=True).stdout

        for rel in files:
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(course / rel, work / rel)
        git("init", "-q")
        git("add", "--", *files)
        git("commit", "-q", "-m", "reference")
        for rel in files:
            shutil.copyfile(build_dir / "stub" / Path(rel).name, work / rel)
        out = build_dir / "stub.patch"
        out.write_text(git("diff", "--no-color", "--", *files), encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "stub":
        sys.stderr.write("usage: python -m lynx.authoring stub phases/<phase>/build   (run from the course root)\n")
        return 2
    build_dir = Path(argv[1]).resolve()
    print(f"wrote {make_stub_patch(build_dir, Path.cwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
