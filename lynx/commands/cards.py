"""`lynx cards`: flashcards with spaced repetition (FSRS): review, learn, test and match; statistics; export to
Anki or CSV; a deck drafted from a CSV; FSRS parameters fitted to the learner's own reviews."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, LearnerOpt, app
from lynx.core.errors import LynxError


@app.command()
def cards(
    learn: Annotated[bool, typer.Option("--learn", help="Learn new cards: each comes back until you recall it. Example: lynx cards --learn -n 5")] = False,
    test: Annotated[bool, typer.Option("--test", help="A generated test: multiple choice and typed answers; ends with your score and the cards missed. Example: lynx cards --test --phase 13")] = False,
    match: Annotated[bool, typer.Option("--match", help="Match terms to their definitions, in rounds, each with its score. Example: lynx cards --match --rounds 3")] = False,
    stats: Annotated[bool, typer.Option("--stats", help="Due today and this week, a 14-day forecast, retention against your target, your streak, a heatmap of reviews, mastered per phase. Example: lynx cards --stats --json")] = False,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="With --stats: also write the forecast and heatmap as a PNG (needs matplotlib). Example: lynx cards --stats --plot cards.png")] = None,
    export: Annotated[Optional[Path], typer.Option("--export", help="Write the cards (every language) with your scheduling to an Anki package or a CSV file; the extension picks the format. Example: lynx cards --export lynx.apkg")] = None,
    import_: Annotated[Optional[Path], typer.Option("--import", help="For authors: draft the deck data/cards/NAME.yaml from a CSV (see docs/design.md for its columns); needs --deck. Example: lynx cards --import terms.csv --deck tokenizers --phase 18")] = None,
    deck_name: Annotated[Optional[str], typer.Option("--deck", help="With --import: the new deck's name (its file is data/cards/NAME.yaml). Example: --deck tokenizers")] = None,
    optimize: Annotated[bool, typer.Option("--optimize", help="Fit the FSRS parameters to your own reviews (it needs 512 of them, and lynx's optimizer extra: see README). Example: lynx cards --optimize")] = False,
    phase: Annotated[Optional[str], typer.Option("--phase", help="Only the cards of this phase (with --import: the phase of rows that name none). Example: --phase 15")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Only the cards with this tag. Example: --tag attention")] = None,
    new: Annotated[Optional[int], typer.Option("--new", min=0, help="New cards per day in the spaced review (default: `new_cards_per_day` in lynx.toml, else 10). Example: --new 5")] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Cards in --learn, questions in --test. Example: -n 20")] = 10,
    rounds: Annotated[int, typer.Option("--rounds", min=1, help="Rounds of --match (5 pairs each). Example: --rounds 3")] = 2,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed for --test and --match, to repeat one. Example: --seed 7")] = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    learner: LearnerOpt = None,
) -> None:
    """Study the flashcards: the cards due today, then new ones; rate each 1 Again, 2 Hard, 3 Good, 4 Easy
    (each button shows when the card would come back).

    Settings in lynx.toml (desired_retention, maximum_interval, learning_steps, new_cards_per_day): see README.

    Example: lynx cards --phase 15        (spaced review of phase 15)
    Example: lynx cards --test --tag attention --lang es
    Example: lynx cards --stats --json
    Example: lynx cards --export ~/lynx.apkg
    """
    from lynx.i18n import resolve

    modes = {"--learn": learn, "--test": test, "--match": match, "--stats": stats or plot is not None,
             "--export": export is not None, "--import": import_ is not None, "--optimize": optimize}
    chosen_modes = [m for m, on in modes.items() if on]
    if len(chosen_modes) > 1:
        raise LynxError(f"use only one of --learn, --test, --match, --stats, --export, --import and --optimize "
                        f"(got {' and '.join(chosen_modes)})", "pick one mode")
    if deck_name is not None and import_ is None:
        raise LynxError("--deck names the deck that --import writes", "e.g. lynx cards --import terms.csv --deck tokenizers")
    if import_ is not None:
        from lynx.authoring.deck_import import draft
        from lynx.content.course import locate
        from lynx.term.card_stats_view import show_import

        if deck_name is None:
            raise LynxError("--import needs --deck NAME, the new deck's name", "e.g. lynx cards --import terms.csv --deck tokenizers")
        result = draft(locate(None, fallback_to_bundled=False), import_, deck_name, phase)
        _render(result, json_out, lambda: show_import(result, resolve(lang)))
        return

    if json_out and (learn or test or match):
        raise LynxError("--json goes with --stats, --export, --import or --optimize, not with a study session",
                        "drop --json, or use lynx cards --stats --json")
    if export is not None:
        from lynx.activities.card_export import target

        target(export)  # a bad path or format is refused before anything is read
    from lynx.content import deck
    from lynx.learner import workspace

    ws = workspace.load(learner=learner)
    lang = resolve(lang, ws.lang)
    from lynx.activities.card_settings import settings

    settings(ws)  # a bad setting in lynx.toml is refused before any session starts
    if optimize:
        from lynx.activities.card_optimize import optimize as fit
        from lynx.term.card_stats_view import show_optimize

        result = fit(ws)
        _render(result, json_out, lambda: show_optimize(result, lang))
        return
    pool = deck.load(ws.root, ws.course.cache)
    chosen = deck.select(pool, phase, tag)
    if not chosen:
        what = " and ".join(x for x in (f"phase {phase}" if phase else "", f"tag {tag!r}" if tag else "") if x)
        if not pool:
            raise LynxError(f"no flashcards in {ws.data_dir / 'cards'}", "add a deck there (see docs/design.md)")
        raise LynxError(f"no card matches {what}", "check `lynx cards --stats` for phases; tags are lowercase, e.g. attention")
    if export is not None:
        from lynx.activities.card_export import export as write
        from lynx.term.card_stats_view import show_export

        result = write(ws, chosen, export, lang)
        _render(result, json_out, lambda: show_export(result, lang))
        return
    if stats or plot is not None or json_out:
        from lynx.activities.card_stats import learner_stats
        from lynx.term import card_stats_view

        s = learner_stats(ws, chosen)
        png = card_stats_view.plot(s, plot, lang) if plot is not None else None
        if json_out:
            from lynx.term.console import print_json

            print_json({**s.to_json(), **({"plot": str(png)} if png else {})})
        else:
            card_stats_view.print_stats(s, lang)
            if png:
                print(f"\n→ {png}")
        return
    from lynx.activities import scheduling
    from lynx.activities.submit import commit_own_files
    from lynx.term import card_games_view, cards_view, submit_view

    try:
        if test:
            card_games_view.generated_test(ws, chosen, pool, lang, count, seed)
        elif match:
            card_games_view.match(ws, chosen, lang, rounds, 5, seed)
        elif learn:
            cards_view.learn(ws, chosen, lang, count)
        else:
            cards_view.spaced(ws, chosen, lang, new if new is not None else scheduling.new_per_day(ws))
    finally:  # every rating is saved as it is given; the session's are committed together (also after Ctrl-C)
        what = "cards --learn" if learn else "cards --test" if test else "cards --match" if match else "cards review"
        code = submit_view.not_committed(commit_own_files(ws, f"{what} session"), lang)
    if code:
        raise typer.Exit(code)


def _render(result, json_out: bool, show) -> None:
    if json_out:
        from lynx.term.console import print_json

        print_json(result.to_json())
    else:
        show()
