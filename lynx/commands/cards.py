"""`lynx cards`: flashcards with spaced repetition (FSRS), learn, test and match modes."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, LearnerOpt, app
from lynx.core.errors import LynxError


@app.command()
def cards(
    learn: Annotated[bool, typer.Option("--learn", help="Learn new cards: each comes back until you recall it.")] = False,
    test: Annotated[bool, typer.Option("--test", help="A generated test: multiple choice and typed answers.")] = False,
    match: Annotated[bool, typer.Option("--match", help="Match terms to their definitions, in rounds.")] = False,
    stats: Annotated[bool, typer.Option("--stats", help="Show what is due today and this week, and your retention.")] = False,
    phase: Annotated[Optional[str], typer.Option("--phase", help="Only the cards of this phase, e.g. 15.")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Only the cards with this tag, e.g. attention.")] = None,
    new: Annotated[Optional[int], typer.Option("--new", min=0, help="New cards per day in the spaced review (default: `new_cards_per_day` in lynx.toml, else 10).")] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Cards in --learn, questions in --test.")] = 10,
    rounds: Annotated[int, typer.Option("--rounds", min=1, help="Rounds of --match (5 pairs each).")] = 2,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed for --test and --match, to repeat one.")] = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    learner: LearnerOpt = None,
) -> None:
    """Study the flashcards: the cards due today, then new ones; rate each 1 Again, 2 Hard, 3 Good, 4 Easy.

    Example: lynx cards --phase 15        (spaced review of phase 15)
    Example: lynx cards --test --tag attention --lang es
    Example: lynx cards --stats --json
    """
    from lynx.activities import scheduling
    from lynx.content import deck
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import cards_view

    if sum((learn, test, match, stats)) > 1:
        raise LynxError("use only one of --learn, --test, --match and --stats", "pick one mode")
    ws = workspace.load(learner=learner)
    lang = resolve(lang, ws.lang)
    pool = deck.load(ws.root, ws.course.cache)
    chosen = deck.select(pool, phase, tag)
    if not chosen:
        what = " and ".join(x for x in (f"phase {phase}" if phase else "", f"tag {tag!r}" if tag else "") if x)
        if not pool:
            raise LynxError(f"no flashcards in {ws.data_dir / 'cards'}", "add a deck there (see docs/design.md)")
        raise LynxError(f"no card matches {what}", "check `lynx cards --stats` for phases; tags are lowercase, e.g. attention")
    if stats or json_out:
        s = scheduling.learner_stats(ws, chosen)
        if json_out:
            from lynx.term.console import print_json

            print_json(s)
        else:
            cards_view.print_stats(s, lang)
        return
    from lynx.activities.submit import commit_own_files
    from lynx.term import submit_view

    try:
        if learn:
            cards_view.learn(ws, chosen, lang, count)
        elif test:
            cards_view.generated_test(ws, chosen, pool, lang, count, seed)
        elif match:
            cards_view.match(ws, chosen, lang, rounds, 5, seed)
        else:
            cards_view.spaced(ws, chosen, lang, new if new is not None else scheduling.new_per_day(ws))
    finally:  # every rating is saved as it is given; the session's are committed together (also after Ctrl-C)
        what = "cards --learn" if learn else "cards --test" if test else "cards --match" if match else "cards review"
        submit_view.not_committed(commit_own_files(ws, f"{what} session"), lang)
