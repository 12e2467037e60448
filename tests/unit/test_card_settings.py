"""The card settings of lynx.toml reach fsrs's scheduler: a fixed clock shows a higher desired_retention giving
shorter intervals; bad values are one-line errors; the buttons' preview is what a rating then does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lynx.activities import card_settings, scheduling
from lynx.core.clock import parse
from lynx.core.errors import LynxError
from lynx.learner.cardstates import CardStates, Fitted
from lynx.learner.workspace import Workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def workspace(tmp_path: Path, extra: str = "") -> Workspace:
    (tmp_path / "lynx.toml").write_text(f'[workspace]\nlearner = "ana"\nlang = "en"\n{extra}', encoding="utf-8")
    return Workspace(root=tmp_path, learner="ana")


def gaps(conf: card_settings.CardSettings, reviews: int = 4) -> list[timedelta]:
    """Always Good, each review exactly when due: the intervals one after the other."""
    sched = card_settings.scheduler(conf)
    data = CardStates()
    at = T0
    out = []
    for _ in range(reviews):
        e = scheduling.review(data, "c-13-01", 3, at, sched)
        out.append(parse(e.due) - at)
        at = parse(e.due)
    return out


def test_a_higher_desired_retention_gives_shorter_intervals():
    low = gaps(card_settings.CardSettings(desired_retention=0.8, learning_steps=()))
    default = gaps(card_settings.CardSettings(learning_steps=()))
    high = gaps(card_settings.CardSettings(desired_retention=0.97, learning_steps=()))
    assert all(h < d < lo for h, d, lo in zip(high, default, low)), (high, default, low)


def test_settings_come_from_lynx_toml(tmp_path):
    ws = workspace(tmp_path, 'desired_retention = 0.85\nmaximum_interval = 30\nlearning_steps = ["30s", 5, "1h"]\n'
                             'relearning_steps = []\nnew_cards_per_day = 3\n')
    conf = card_settings.settings(ws)
    assert conf.desired_retention == 0.85 and conf.maximum_interval == 30 and conf.new_per_day == 3
    assert conf.learning_steps == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))
    assert conf.relearning_steps == ()
    # The maximum interval holds: Easy over and over never goes past 30 days.
    assert max(gaps(conf, 8)) <= timedelta(days=30)
    assert card_settings.settings(workspace(tmp_path)) == card_settings.CardSettings()


@pytest.mark.parametrize("line, words", [
    ("desired_retention = 1.0", "desired_retention = 1.0 is not a number between 0 and 1"),
    ("desired_retention = 0", "desired_retention = 0 is not a number between 0 and 1"),
    ("desired_retention = -0.5", "desired_retention = -0.5"),
    ('desired_retention = "high"', "desired_retention = 'high'"),
    ("desired_retention = true", "desired_retention = True"),
    ("maximum_interval = 0", "maximum_interval = 0 is not a whole number >= 1"),
    ('learning_steps = ["ten minutes"]', "learning_steps has the step 'ten minutes'"),
    ('learning_steps = "1m"', "learning_steps = '1m' is not a list"),
    ('relearning_steps = ["0m"]', "relearning_steps has the step '0m'"),
])
def test_bad_values_are_one_line_errors(tmp_path, line, words):
    with pytest.raises(LynxError) as exc:
        card_settings.settings(workspace(tmp_path, line + "\n"))
    assert words in exc.value.line() and "lynx.toml" in exc.value.line() and "\n" not in exc.value.line()


def test_the_preview_is_what_each_rating_then_does():
    sched = card_settings.scheduler()
    data = CardStates()
    first = scheduling.preview(None, T0, sched)
    assert first[1] < first[2] < first[3] < first[4]
    assert first[3] == timedelta(minutes=10) and first[1] == timedelta(minutes=1)
    for rating in (1, 2, 3, 4):
        copy = CardStates()
        e = scheduling.review(copy, "c", rating, T0, sched)
        assert parse(e.due) - T0 == first[rating]
    assert data.cards == {}  # a preview saves nothing


def test_fitted_parameters_are_used_and_bad_ones_refused():
    default = card_settings.scheduler()
    params = list(default.parameters)
    params[2] = 9.0  # the initial stability after Good: a much longer first interval
    fitted = card_settings.scheduler(card_settings.CardSettings(learning_steps=()), Fitted(params, "", 600))
    assert fitted.parameters[2] == 9.0
    assert scheduling.preview(None, T0, fitted)[3] > scheduling.preview(
        None, T0, card_settings.scheduler(card_settings.CardSettings(learning_steps=())))[3]
    with pytest.raises(LynxError) as exc:
        card_settings.scheduler(None, Fitted([1.0, 2.0], "", 600))
    assert "lynx cards --optimize" in exc.value.line()


def test_review_durations_are_logged_and_capped():
    data = CardStates()
    scheduling.review(data, "c", 3, T0, ms=4200)
    scheduling.review(data, "c", 3, T0 + timedelta(minutes=10), ms=10 * 60_000)
    assert [r.ms for r in data.log] == [4200, scheduling.MAX_REVIEW_MS]
    assert data.to_json()["log"][0]["ms"] == 4200
