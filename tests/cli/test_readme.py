"""README is the newcomer's manual: every command it shows exists, and its two first commands are the ones
CI and a newcomer run."""

from __future__ import annotations

import re

from kit import REPO, lynx

README = (REPO / "README.md").read_text(encoding="utf-8")


def shown_commands() -> set[str]:
    """`lynx CMD` as written at the start of a line in README's text blocks (CMD a word, not an option)."""
    blocks = re.findall(r"```text\n(.*?)```", README, flags=re.S)
    return {m.group(1) for block in blocks for m in re.finditer(r"^lynx ([a-z][\w-]*)", block, flags=re.M)}


def test_every_command_readme_shows_exists():
    commands = shown_commands()
    assert {"break", "check", "done", "explain", "reset", "practice", "watch"} <= commands
    for name in sorted(commands):
        r = lynx(name, "--help")
        assert r.returncode == 0 and "Example" in r.stdout, (name, r.stderr)


def test_the_two_first_commands_are_setup_and_tests():
    first, second = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)[:2]
    assert first.endswith("lynx break 13") and "pip install ." in first
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert second.split("&& ")[-1] in ci  # the test command is CI's
