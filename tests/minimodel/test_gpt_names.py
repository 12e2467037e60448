"""Names a learner's script imports from `minimodel.nn.gpt` (round one kept them there) still work, and are the
ones that live where they belong now."""

from minimodel import data, optim
from minimodel.nn import gpt


def test_the_gpt_module_still_offers_the_optimizer_and_the_windows():
    assert gpt.configure_optimizer is optim.configure_optimizer
    assert gpt.random_windows is data.random_windows
