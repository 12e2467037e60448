"""Regenerate stub.patch: each reference file -> its stub in stub/, as one git diff.

Run from the repository root:  python phases/17-mini-gpt/build/make_stub.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FILES = ["src/minimodel/nn/gpt.py", "src/minimodel/sample.py"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        def git(*args: str) -> str:
            return subprocess.run(["git", "-c", "user.name=lynx", "-c", "user.email=lynx@invalid", *args], cwd=work,
                                  check=True, capture_output=True, text=True).stdout

        for rel in FILES:
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / rel, work / rel)
        git("init", "-q")
        git("add", *FILES)
        git("commit", "-q", "-m", "reference")
        for rel in FILES:
            shutil.copyfile(HERE / "stub" / Path(rel).name, work / rel)
        (HERE / "stub.patch").write_text(git("diff", "--no-color", "--", *FILES), encoding="utf-8")
    print(f"wrote {HERE / 'stub.patch'}")


if __name__ == "__main__":
    main()
