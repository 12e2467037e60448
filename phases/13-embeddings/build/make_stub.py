"""Regenerate stub.patch: the reference src/minimodel/nn/embedding.py -> stub/embedding.py, as a git diff.

Run from the repository root:  python phases/13-embeddings/build/make_stub.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REL = "src/minimodel/nn/embedding.py"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / REL).parent.mkdir(parents=True)
        shutil.copyfile(ROOT / REL, work / REL)

        def git(*args: str) -> str:
            return subprocess.run(["git", "-c", "user.name=lynx", "-c", "user.email=lynx@invalid", *args], cwd=work,
                                  check=True, capture_output=True, text=True).stdout

        git("init", "-q")
        git("add", REL)
        git("commit", "-q", "-m", "reference")
        shutil.copyfile(HERE / "stub" / "embedding.py", work / REL)
        (HERE / "stub.patch").write_text(git("diff", "--no-color", "--", REL), encoding="utf-8")
    print(f"wrote {HERE / 'stub.patch'}")


if __name__ == "__main__":
    main()
