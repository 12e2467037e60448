"""The command layer: each module registers its commands on the Typer app of `app.py`."""
