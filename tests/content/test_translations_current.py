"""Every translation of the course was made from the English it sits beside (`lynx validate --stale`): an
English edit without its translation (and `lynx translated FILE`) fails here."""

from __future__ import annotations

from kit import REPO

from lynx.authoring.stale import stale


def test_no_translation_is_stale() -> None:
    found = stale(REPO)
    assert not found, "stale translations (update them, then `lynx translated FILE`): " + "; ".join(
        f"{s.translation.file} {s.translation.key} ({s.translation.lang})" for s in found[:10])
