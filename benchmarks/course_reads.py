"""What one lynx command reads of the course: files opened and folders listed, counted, not timed.

    python benchmarks/course_reads.py WORKSPACE status          # prints {"opened": .., "cache": .., "listed": ..}

A command about one break must read the same on a 500-phase course as on the bundled one. The command
runs in a child Python with an audit hook (PEP 578: the "open", "os.scandir" and "os.listdir" events), so
every read lynx makes, through any library, is seen; git's own reads of its index are not (GIT_TRACE
counts git's processes).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Runs in the child: counts, then hands over to lynx's real entry point.
_CHILD = r"""
import atexit, json, os, sys
root = os.path.realpath(os.getcwd())
course = tuple(os.path.join(root, d) + os.sep for d in ("phases", "breaks", "data"))
cache = os.path.join(root, ".lynx", "cache") + os.sep
seen = {"opened": set(), "cache": set(), "listed": set()}

def where(arg):
    try:
        return os.path.realpath(os.fsdecode(arg)) if isinstance(arg, (str, bytes, os.PathLike)) else None
    except (TypeError, ValueError):
        return None

def hook(event, args):
    if event == "open":
        p = where(args[0])
        if p and p.startswith(course):
            seen["opened"].add(p)
        elif p and p.startswith(cache) and not os.path.basename(p).startswith("."):
            seen["cache"].add(p)
    elif event in ("os.scandir", "os.listdir"):
        p = where(args[0] if args and args[0] is not None else ".")
        if p and (p + os.sep).startswith(course + (cache,)):
            seen["listed"].add(p)

atexit.register(lambda: sys.stderr.write("\nLYNX-READS " + json.dumps({k: len(v) for k, v in seen.items()}) + "\n"))
sys.addaudithook(hook)
sys.argv = ["lynx", *sys.argv[1:]]
from lynx.cli import main
main()
"""


def count(ws: Path, *argv: str, env: dict | None = None) -> dict[str, int]:
    """``{"opened": course files, "cache": cache entries, "listed": folders}`` that ``lynx ARGV`` read in ``ws``."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, *argv], cwd=ws, env=env, capture_output=True, text=True,
                          timeout=300)
    line = next((x for x in proc.stderr.splitlines() if x.startswith("LYNX-READS ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"lynx {' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return json.loads(line.removeprefix("LYNX-READS "))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__.split("\n\n")[1])
    print(json.dumps(count(Path(sys.argv[1]), *sys.argv[2:])))
