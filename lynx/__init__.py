"""lynx: learn machine-learning internals by breaking working code on purpose."""

import sys

__version__ = "0.1.0"

# lynx starts dozens of times an hour. In an editable install with PYTHONDONTWRITEBYTECODE set,
# Python would recompile lynx's own modules on every start (~30 ms measured on `lynx status`);
# caching their bytecode is what pip does anyway for a normal install.
sys.dont_write_bytecode = False
