"""Proving the grading of free answers: every free question (quizzes and build challenges) has a corpus
of right and wrong answers in each language, and its answer key classifies every one as marked.

Also refused: a term made only of the words the key ignores (it would never count), and a key that
grades the prompt itself, repeated as an answer, right.
"""

from __future__ import annotations

from pathlib import Path

from lynx.authoring.break_proofs import Row
from lynx.content.answer_key import MIN_CORPUS
from lynx.content.quiz import Question
from lynx.core.errors import LynxError
from lynx.i18n import languages


def grading_rows(root: Path, jobs: int = 2) -> list[Row]:
    """One row per free question of the course, in course order (quizzes, then build challenges)."""
    rows = []
    for where, q in free_questions(root):
        problem = question_problem(q)
        if problem:
            rows.append(Row("grading", q.id, False, f"{where}: {problem}"))
        else:
            c = q.key.corpus  # type: ignore[union-attr]
            right = sum(len(v) for v in c.right.values())
            wrong = sum(len(v) for v in c.wrong.values())
            rows.append(Row("grading", q.id, True, f"{right} right and {wrong} wrong answers classified "
                                                   f"({', '.join(languages())})"))
    return rows


def free_questions(root: Path) -> list[tuple[str, Question]]:
    """Every free question, with the file it is in (relative to the course): quizzes, then builds."""
    from lynx.content.challenge import parse_build
    from lynx.content.course import Course
    from lynx.content.quiz import load_quiz, quiz_files

    out: list[tuple[str, Question]] = []
    for path in quiz_files(root):
        try:
            quiz = load_quiz(path)
        except LynxError:
            continue  # the quiz row reports it
        out += [(_rel(root, path), q) for q in quiz.questions if q.kind == "free"]
    course = Course(root, use_cache=False)
    for pid in course.phase_ids():
        try:
            ph = course.phase(pid)
            if not ph.build_dir:
                continue
            b = parse_build(ph.build_dir / "build.yaml", ph.id)
        except LynxError:
            continue  # the phase and build rows report it
        out += [(_rel(root, ph.build_dir / "build.yaml"), q) for q in b.questions if q.kind == "free"]
    return out


def question_problem(q: Question) -> str | None:
    """What is wrong with a free question's grading (None: proven)."""
    from lynx.activities.grading import Answer, grade
    from lynx.content.answer_key import term_words

    key = q.key
    if key is None or key.corpus is None:
        return (f"no corpus: add `corpus: {{right: {{en: [...], es: [...]}}, wrong: {{...}}}}` with at least "
                f"{MIN_CORPUS} answers of each kind in each language (docs/design.md)")
    ignored = {w for ws in key.ignore.values() for w in ws}
    for concept in key.concepts:
        for term in concept.all_terms():
            if ignored and all(w.rstrip("*") in ignored for w in term_words(term) if w != "..."):
                return f"term {term!r} is made only of words `ignore:` lists (words of the prompt): it never counts"
    for side, marked in (("right", key.corpus.right), ("wrong", key.corpus.wrong)):
        for lang in languages():
            n = len(marked.get(lang, ()))
            if n < MIN_CORPUS:
                return f"corpus: {n} {side} answer(s) in {lang}, at least {MIN_CORPUS} needed"
    for lang in languages():
        for answer in key.corpus.right[lang]:
            g = grade(q, Answer(answer), lang)
            if not g.correct:
                return f"{lang} right answer {answer!r} graded wrong ({_why(g)})"
        for answer in key.corpus.wrong[lang]:
            if grade(q, Answer(answer), lang).correct:
                return f"{lang} wrong answer {answer!r} graded right"
        if grade(q, Answer(q.prompt[lang]), lang).correct:
            return f"the prompt itself ({lang}) is graded as a right answer"
    return None


def _why(g) -> str:
    parts = [f"{label}: {', '.join(names)}" for label, names in
             (("missing", g.missing), ("negated", g.negated), ("contradicts", g.contradicted)) if names]
    return "; ".join(parts)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
