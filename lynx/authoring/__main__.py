"""Authoring tools, run from the course root:

    python -m lynx.authoring stub phases/<phase>/build    regenerate a build's stub.patch
    python -m lynx.authoring catalogues                   recompile the interface catalogues (.po -> .mo)
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "stub":
        from lynx.authoring.stub import make_stub_patch

        print(f"wrote {make_stub_patch(Path(argv[1]).resolve(), Path.cwd())}")
        return 0
    if argv == ["catalogues"]:
        from lynx.authoring.catalogues import compile_all

        written = compile_all()
        print(f"compiled {len(written)} catalogue(s)" + "".join(f"\n  {p}" for p in written))
        return 0
    sys.stderr.write("usage: python -m lynx.authoring stub phases/<phase>/build | catalogues   (from the course root)\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
