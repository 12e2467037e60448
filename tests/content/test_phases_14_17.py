"""Content of phases 14-17: manifests, theory pages and quizzes have the documented shape.

A safety net next to the real loaders: it reads the files with PyYAML only, so a broken loader
cannot hide a broken file, and it adds checks the loaders do not make (pages in both languages
with the same code, relative links that resolve, the code sketches run, model answers to the
free questions pass the real grader and wrong ones fail).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
LANGS = ("en", "es")
PHASES = {
    "14": "14-sequence-models",
    "15": "15-attention",
    "16": "16-transformer-block",
    "17": "17-mini-gpt",
}
MANIFEST_KEYS = {"id", "title", "summary", "breaks", "quiz", "pages", "build", "labs"}
QUESTION_KEYS = {"id", "kind", "topic", "prompt", "options", "expect", "explanation", "cards", "answer", "corpus"}
CODE_RE = re.compile(r"```python\n(.*?)```", re.S)
LINK_RE = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def manifest(phase: str) -> dict:
    return load(REPO / "phases" / PHASES[phase] / "phase.yaml")


def quiz_path(phase: str) -> Path:
    return REPO / "data" / "quizzes" / f"phase-{PHASES[phase]}.yaml"


def is_bilingual(value) -> bool:
    return (isinstance(value, dict) and set(value) == set(LANGS)
            and all(isinstance(value[l], str) and value[l].strip() for l in LANGS))


def pages(phase: str) -> list[tuple[str, Path, Path]]:
    folder = REPO / "phases" / PHASES[phase]
    return [(p["id"], folder / p["file"]["en"], folder / p["file"]["es"]) for p in manifest(phase)["pages"]]


def all_page_files() -> list[Path]:
    return [f for ph in PHASES for _, en, es in pages(ph) for f in (en, es)]


# --- manifests ------------------------------------------------------------------------


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_manifest_shape(phase: str) -> None:
    m = manifest(phase)
    assert set(m) <= MANIFEST_KEYS, f"unknown keys {set(m) - MANIFEST_KEYS}"
    assert m["id"] == phase and isinstance(m["id"], str)
    assert is_bilingual(m["title"]) and is_bilingual(m["summary"])
    assert m["quiz"] == f"phase-{phase}"
    assert m["breaks"][:2] == [f"{phase}-00", f"{phase}-01"]
    assert len(m["pages"]) >= 3
    ids = [p["id"] for p in m["pages"]]
    assert ids == [f"{i:02d}" for i in range(1, len(ids) + 1)], ids
    for p in m["pages"]:
        assert set(p) == {"id", "title", "file"}
        assert is_bilingual(p["title"]) and is_bilingual(p["file"])
        for lang in LANGS:
            f = p["file"][lang]
            assert f.startswith("theory/") and f.endswith(f".{lang}.md"), f
            assert (REPO / "phases" / PHASES[phase] / f).is_file(), f


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_manifest_loads_with_the_course_loader(phase: str) -> None:
    from lynx.content.phase import parse_phase

    data = parse_phase(REPO / "phases" / PHASES[phase] / "phase.yaml")
    assert data["id"] == phase and data["quiz"] == f"phase-{phase}"
    assert [p["title"] for p in data["pages"]] == [p["title"] for p in manifest(phase)["pages"]]


# --- theory pages ---------------------------------------------------------------------


@pytest.mark.parametrize("path", all_page_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_page_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), "a page starts with its title"
    assert len(text) > 2500, "a theory page, not a stub"
    assert "## References" in text or "## Referencias" in text
    last = text.rstrip().splitlines()[-1]
    lang = path.suffixes[-2].lstrip(".")
    assert last.startswith("Prev:" if lang == "en" else "Anterior:"), last
    assert ("Next:" if lang == "en" else "Siguiente:") in last
    assert text.count("```") % 2 == 0, "unbalanced code fences"
    for target, _ in LINK_RE.findall(text):
        if "://" in target:
            continue
        assert target.endswith(f".{lang}.md"), f"{target}: link to a page of the same language"
        assert (path.parent / target).is_file(), f"broken link {target}"


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_pages_are_translations(phase: str) -> None:
    """Both languages have the same sections and the same code (comments and docstrings aside)."""
    def code_shape(text: str) -> list[str]:
        out = []
        for block in CODE_RE.findall(text):
            lines = [re.sub(r"\s+#.*$", "", l).rstrip() for l in block.splitlines()]
            out.append("\n".join(l for l in lines if l and not l.lstrip().startswith(("#", '"""'))))
        return out

    for _, en, es in pages(phase):
        t_en, t_es = en.read_text(encoding="utf-8"), es.read_text(encoding="utf-8")
        assert t_en.count("\n## ") == t_es.count("\n## "), en.name
        assert code_shape(t_en) == code_shape(t_es), en.name
        assert t_en.count("```text") == t_es.count("```text"), en.name
        # references are cited identically
        refs = lambda t: re.findall(r"^- ([A-Z][^.]+\.) (\d{4})", t, re.M)
        assert refs(t_en) == refs(t_es), en.name


@pytest.mark.parametrize("path", all_page_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_code_sketches_run(path: Path) -> None:
    blocks = CODE_RE.findall(path.read_text(encoding="utf-8"))
    assert blocks, "every page has a runnable sketch"
    ns: dict = {"__name__": "sketch"}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in blocks:
            exec(compile(block, str(path), "exec"), ns)  # noqa: S102 - our own course text


# --- quizzes --------------------------------------------------------------------------


def card_ids() -> set[str]:
    ids: set[str] = set()
    for deck in (REPO / "data" / "cards").glob("*.yaml"):
        ids |= {c["id"] for c in (load(deck) or {}).get("cards", [])}
    return ids


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_quiz_shape(phase: str) -> None:
    q = load(quiz_path(phase))
    assert set(q) == {"id", "phase", "title", "questions"}
    assert q["id"] == f"phase-{phase}" and q["phase"] == phase
    assert is_bilingual(q["title"])
    questions = q["questions"]
    assert len(questions) >= 8
    assert [x["id"] for x in questions] == [f"q-{phase}-{i:02d}" for i in range(1, len(questions) + 1)]
    assert {x["kind"] for x in questions} == {"single", "multi", "free"}, "a mix of kinds"
    known_cards = card_ids()
    for x in questions:
        assert set(x) <= QUESTION_KEYS, x["id"]
        for key in ("topic", "prompt", "explanation"):
            assert is_bilingual(x[key]), f"{x['id']}.{key}"
        for c in x.get("cards", []):
            assert c in known_cards, f"{x['id']}: unknown card {c}"
        if x["kind"] == "free":
            assert "options" not in x and "expect" not in x and x["answer"]["concepts"] and x["corpus"], x["id"]
            for group in x["answer"]["concepts"]:
                assert set(group) == set(LANGS), x["id"]
                assert all(isinstance(w, str) and w.strip() for lang in LANGS for w in group[lang]), x["id"]
        else:
            assert "answer" not in x and len(x["options"]) >= 3, x["id"]
            for o in x["options"]:
                assert set(o) <= {"text", "correct"} and is_bilingual(o["text"]), x["id"]
            right = sum(bool(o.get("correct")) for o in x["options"])
            assert right == 1 if x["kind"] == "single" else right >= 1, x["id"]
            texts = [o["text"]["en"] for o in x["options"]]
            assert len(set(texts)) == len(texts), f"{x['id']}: duplicate options"


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_quiz_loads_with_the_course_loader(phase: str) -> None:
    from lynx.content.quiz import load_quiz

    quiz = load_quiz(quiz_path(phase))
    assert quiz.id == f"phase-{phase}" and len(quiz.questions) >= 8


# Model answers to every free question: good ones must pass the real grader, bad ones must fail.
FREE_ANSWERS = {
    "q-14-03": {"en": ("The forget gate f_t.", "The output gate."),
                "es": ("La puerta de olvido.", "La puerta de salida.")},
    "q-14-07": {"en": ("One fixed-size context vector, the encoder's last hidden state.", "The attention weights."),
                "es": ("Un único vector de contexto de tamaño fijo, el último estado del codificador.",
                       "Los pesos de atención.")},
    "q-15-03": {"en": ("The variance of the dot products grows with d_k; without it the softmax saturates.",
                       "It makes the computation faster."),
                "es": ("La varianza de los productos escalares crece con d_k; sin ella la softmax se satura.",
                       "Hace el cálculo más rápido.")},
    "q-15-07": {"en": ("k=0 also masks the diagonal, so token 0 cannot attend to itself and its row is all -inf.",
                       "Because the scores are too large."),
                "es": ("k=0 enmascara también la diagonal: el token 0 no puede atenderse a sí mismo.",
                       "Porque las puntuaciones son demasiado grandes.")},
    "q-16-03": {"en": ("An identity path: the output gradient reaches every block unchanged.",
                       "It normalises the activations."),
                "es": ("Un camino identidad: el gradiente de la salida llega a cada bloque sin cambios.",
                       "Normaliza las activaciones.")},
    "q-16-09": {"en": ("The statistics mix in later positions, so the future leaks into the past.",
                       "The learning rate is too high."),
                "es": ("Las estadísticas mezclan posiciones posteriores: el futuro se filtra al pasado.",
                       "La tasa de aprendizaje es demasiado alta.")},
    "q-17-04": {"en": ("It decouples the decay: the weights are shrunk directly, outside the adaptive step.",
                       "It adds lambda times theta to the gradient."),
                "es": ("Desacopla el decaimiento: encoge los pesos directamente, fuera del paso adaptativo.",
                       "Suma lambda por theta al gradiente.")},
    "q-17-09": {"en": ("In the order they were learned, earliest merge first.", "The most frequent pair in the new text."),
                "es": ("En el orden en que se aprendieron, la primera fusión primero.",
                       "El par más frecuente del texto nuevo.")},
}


def test_every_free_question_has_model_answers() -> None:
    free = {x["id"] for ph in PHASES for x in load(quiz_path(ph))["questions"] if x["kind"] == "free"}
    assert free == set(FREE_ANSWERS)


@pytest.mark.parametrize("qid", sorted(FREE_ANSWERS))
@pytest.mark.parametrize("lang", LANGS)
def test_free_answers_grade(qid: str, lang: str) -> None:
    from lynx.activities.grading import Answer, grade
    from lynx.content.quiz import load_quiz

    quiz = load_quiz(quiz_path(qid.split("-")[1]))
    q = next(x for x in quiz.questions if x.id == qid)
    good, bad = FREE_ANSWERS[qid][lang]
    assert grade(q, Answer(raw=good), lang).correct, good
    assert not grade(q, Answer(raw=bad), lang).correct, bad


# --- the "In minimodel" sections point at code that exists ----------------------------

MINIMODEL_NAMES = {
    "minimodel.nn.embedding": ["Embedding"],
    "minimodel.nn.rnn": ["RNN", "LSTM"],
    "minimodel.nn.conv": ["Conv1d"],
    "minimodel.nn.attention": ["AdditiveScores", "scaled_dot_product_attention", "dot_product_scores",
                               "causal_mask", "MultiHeadAttention"],
    "minimodel.nn.norm": ["LayerNorm"],
    "minimodel.nn.transformer": ["TransformerBlock", "FeedForward", "sinusoidal_positions", "SinusoidalPositions"],
    "minimodel.nn.config": ["BlockConfig"],
    "minimodel.nn.gpt": ["GPTConfig", "GPT", "lm_loss"],
    "minimodel.nn.lm_head": ["LMHead"],
    "minimodel.optim": ["AdamW", "decay_groups", "configure_optimizer"],
    "minimodel.data": ["random_windows"],
    "minimodel.schedule": ["clip_grad_norm", "warmup_cosine"],
    "minimodel.bpe": ["BPETokenizer"],
    "minimodel.sample": ["top_k_filter", "probabilities", "sample_next", "generate"],
}


def _section(text: str) -> str:
    m = re.search(r"^## (?:In|En) minimodel\n(.*?)^## ", text, re.S | re.M)
    assert m, "every page has an `In minimodel` section"
    return m.group(1)


def test_minimodel_names_exist() -> None:
    import importlib

    sections = "\n".join(_section(f.read_text(encoding="utf-8")) for f in all_page_files())
    for module, names in MINIMODEL_NAMES.items():
        mod = importlib.import_module(module)
        path = "src/" + module.replace(".", "/") + ".py"
        assert path in sections, f"{path} is not referenced any more: update MINIMODEL_NAMES"
        for name in names:
            assert hasattr(mod, name), f"{module}.{name} is cited by a theory page but does not exist"
            assert f"`{name}`" in sections, f"{name}: update MINIMODEL_NAMES"
    for path in set(re.findall(r"`(src/minimodel/[\w/]+\.py)`", sections)):
        assert (REPO / path).is_file(), path


@pytest.mark.parametrize("path", all_page_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_cited_breaks_exist(path: Path) -> None:
    phase = path.parent.parent.name[:2]
    for bid in re.findall(r"`(\d\d-\d\d)`", _section(path.read_text(encoding="utf-8"))):
        assert bid in manifest(phase)["breaks"], bid
        assert list((REPO / "breaks").glob(f"{bid}-*/break.yaml")), f"no folder for break {bid}"
