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
    "files": {"en": "Files", "es": "Archivos"},
    "applied": {
        "en": "Applied on branch [bold]{branch}[/bold]. Prediction saved in {notes}.\n"
              "Now: [bold]lynx run[/bold] to observe, [bold]lynx hint[/bold] for a hint, "
              "[bold]lynx check[/bold] to test your fix.",
        "es": "Aplicado en la rama [bold]{branch}[/bold]. Predicción guardada en {notes}.\n"
              "Ahora: [bold]lynx run[/bold] para observar, [bold]lynx hint[/bold] para una pista, "
              "[bold]lynx check[/bold] para probar tu arreglo.",
    },
    "check_ok": {"en": "✓ check passes: the bug is gone. Record it with `lynx done`.",
                 "es": "✓ la comprobación pasa: el fallo ya no está. Regístralo con `lynx done`."},
    "check_fail": {"en": "✗ check fails: the bug is still in. Try `lynx hint`, or `lynx fix --show-diff`.",
                   "es": "✗ la comprobación falla: el fallo sigue ahí. Prueba `lynx hint` o `lynx fix --show-diff`."},
    "fix_applied": {"en": "The fix is applied (your own attempt is saved on the branch). Run `lynx check`, then `lynx done`.",
                    "es": "Arreglo aplicado (tu intento queda guardado en la rama). Ejecuta `lynx check` y luego `lynx done`."},
    "fix_nothing": {"en": "Your files already match the fix: run `lynx check`, then `lynx done`.",
                    "es": "Tus archivos ya coinciden con el arreglo: ejecuta `lynx check` y luego `lynx done`."},
    "calibrate": {"en": "Was your prediction right? [y/partly/n]", "es": "¿Acertaste tu predicción? [y/partly/n]"},
    "done": {"en": "Done: {kind} {id} recorded ({how}). Back on {home}.",
             "es": "Hecho: {kind} {id} registrado ({how}). De vuelta en {home}."},
    "how_fixed": {"en": "fixed", "es": "arreglado"},
    "how_passed": {"en": "validator passed", "es": "validador superado"},
    "how_solution": {"en": "fixed with the solution shown", "es": "arreglado con la solución mostrada"},
    "aborted": {"en": "Left {kind} {id}; your work on it is kept on {branch}. Back on {home}.",
                "es": "Has dejado {kind} {id}; tu trabajo queda en {branch}. De vuelta en {home}."},
    "no_hint_yet": {"en": "No hint revealed yet: `lynx hint` shows the first.",
                    "es": "Aún no has visto ninguna pista: `lynx hint` muestra la primera."},
    "symptom": {"en": "Symptom", "es": "Síntoma"},
    "cause": {"en": "Hidden cause", "es": "Causa oculta"},
    "why": {"en": "Why this teaches", "es": "Por qué enseña"},
}


def ui(key: str, lang: str) -> str:
    entry = UI.get(key, {})
    return entry.get(lang) or entry.get("en") or key
