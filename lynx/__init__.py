"""lynx: learn machine-learning internals by breaking working code on purpose."""

__version__ = "0.1.0"
