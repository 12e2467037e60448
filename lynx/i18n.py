"""Which language to show: --lang, then LYNX_LANG, then the workspace, then English."""

from __future__ import annotations

import os

from lynx.errors import LynxError

LANGS = ("en", "es")


def resolve(flag: str | None, workspace_lang: str | None = None) -> str:
    for value, source in ((flag, "--lang"), (os.environ.get("LYNX_LANG"), "LYNX_LANG")):
        if value:
            value = value.lower()
            if value not in LANGS:
                raise LynxError(f"{source}: unknown language {value!r}", "use `en` or `es`")
            return value
    return workspace_lang if workspace_lang in LANGS else "en"


# Interface strings in both languages: short, and only those a learner reads often.
UI: dict[str, dict[str, str]] = {
    "predict_prompt": {"en": "Your prediction", "es": "Tu predicción"},
    "hint": {"en": "Hint", "es": "Pista"},
    "next": {"en": "Next", "es": "Siguiente"},
    "no_more_hints": {
        "en": "That was the last hint. See the fix with `lynx fix --show-diff`.",
        "es": "Esa era la última pista. Mira el arreglo con `lynx fix --show-diff`.",
    },
    "symptom": {"en": "Symptom", "es": "Síntoma"},
    "cause": {"en": "Hidden cause", "es": "Causa oculta"},
    "why": {"en": "Why this teaches", "es": "Por qué enseña"},
}


def ui(key: str, lang: str) -> str:
    entry = UI.get(key, {})
    return entry.get(lang) or entry.get("en") or key
