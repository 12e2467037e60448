"""The numbers the breaks quote (prompt and symptom) are what their observe programs print.

Each case runs the break's `observe` program twice in scratch copies of src/: on the reference code
and with break.patch applied, exactly as `lynx run` would (cwd = the copy, its src/ on the path).
For every pinned number: the program prints it, and the break's text quotes it.

A pinned line that ends in a decimal number matches when the program prints the same text with that
number give or take two units of its last digit: float32 training on another CPU (another BLAS kernel,
another summation order) moves a loss of 1.686 to 1.685, which the break's "1.69" still describes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]

# break id: ([(printed by the BROKEN program, quoted in break.yaml)], [(printed by the REFERENCE, quoted)])
PINS = {
    "13-03": ([("the 3 pad positions read row 255 (byte 255): True", "the 3 pad positions read row 255 (byte 255)"),
               ("gradient reaching row 255, which no text uses: 24.0", "gradient of 24.0")],
              [("the embedding refused the batch: Embedding: token id -1 is out of range", None)]),
    "14-00": ([("-0.9993", "-0.9993"), ("+0.9987", "+0.9987"), ("|c| = 0.9920", "|c| = 0.9920"),
               ("sign flips: 12", "12 sign flips")],
              [("sign flips: 0", None)]),
    "14-01": ([("[(0, 1), (1, 1), (2, 2), (4, 4)]", "(0, 1), (1, 1), (2, 2), (4, 4)"),
               ("changed: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]", "outputs 4..19"),
               ("step  59  loss 1.686", "1.69")],
              [("[(1, 0), (2, 0), (4, 0), (8, 0)]", "(1, 0), (2, 0), (4, 0), (8, 0)"),
               ("step  59  loss 2.468", "2.47")]),
    "14-02": ([("  input  i: +0.712", "0.712"), ("  forget f: +0.501", "0.501"), ("left = 1.44e-04", "1.44e-04")],
              [("  forget f: +0.717", "0.717"), ("left = 1.72e-02", "1.72e-02")]),
    "14-03": ([("  rnn.w_ih.weight     22.3555         1.0000   0.0447", "0.0447"),
               ("  rnn.w_ih.bias       13.9294         1.0000   0.0718", "0.0718"),
               ("  rnn.w_hh.weight     21.4561         1.0000   0.0466", "0.0466"),
               ("  out.weight           0.5857         0.5857   1.0000", "out.weight 0.5857"),
               ("clipped 1.8296", "1.8296 long"), ("raw gradient) = 0.9344", "0.9344"),
               ("(clip_grad_norm returned 33.9781)", "still returns 33.9781")],
              [("global norm: raw 33.9781", "norm is 33.9781"), ("  out.weight           0.5857         0.0172   0.0294", "0.0172"),
               ("  rnn.w_ih.weight     22.3555         0.6579   0.0294", "every factor is 0.0294"),
               ("clipped 1.0000", "1.0000 long"), ("raw gradient) = 1.0000", "the cosine is 1.0000")]),
    "15-00": ([("     4            0.4189", "0.42 at d_k = 4"), ("    64            0.8486", "0.85 at 64"),
               ("   256            0.9229", "0.92 at 256"), ("  1024            0.9599", "0.96 at"),
               ("1.7824", "1.78"), ("0.0950", "0.10"), ("56.7%", "56.7%")],
              [("    64            0.2468", "0.24"), ("   256            0.2450         2.3582        0.0%", "0%")]),
    "15-01": ([("    1 1 0 0 0", "`1 1 0 0 0`"), ("(must be none): [7]", "moves output 7"),
               ("step  79  loss 1.144", "1.14 at step 79")],
              [("step  79  loss 2.825", "2.83")]),
    "15-02": ([("    1 1 1 0 0", None), ("(must be none): [0, 1, 2, 3, 4, 5, 6, 7]", "positions 0 to 7"),
               ("step  79  loss 2.460", "2.460 at step 79")],
              [("(must be none): none", None), ("step  79  loss 2.825", "2.825")]),
    "15-03": ([("    0           0.1567                  0.0000          0.1284", "0.1567 for query 0"),
               ("    3           0.5088", "0.5088 for query 3"), ("    7           1.0000", "1.0000 only for query 7")],
              [("    0           1.0000                  0.0000          0.8074", "0.8074")]),
    "16-00": ([("0.5057", "0.51"), ("-0.4789", "-0.48"), ("0.532 ", "0.53"), ("1.1005", "1.10"),
               ("output changed: [0, 1, 2, 3, 4, 5]", "positions 0 to 5"), ("0.0000 (should be 1)", "0.0000"),
               ("step  79  loss 2.564", "2.56")],
              [("output changed: [5]", None), ("step  79  loss 2.825", "2.83")]),
    "16-01": ([("max |block(x) - x| = 3.47", "3.47"), ("after block 1 1.0206", "1.02"),
               ("step  79  loss 2.901", "2.90 at step 79")],
              [("max |block(x) - x| = 0 ", "instead of 0"),
               ("after block 1 0.2742 | after block 2 0.4742 | after block 3 0.6182 | after block 4 0.7279",
                "0.27, 0.47, 0.62, 0.73"),
               ("step  79  loss 2.902", None)]),
    "16-02": ([("     0         127.0000", "127 radians"), ("     1           0.0000", "0.0000"),
               ("1 of 16", "1 of 16"), ("positions: 73 and 117, distance 0.0177", "(distance 0.0177)")],
              [("16 of 16", None), ("positions: 105 and 106, distance 1.1716", "1.1716")]),
    "16-03": ([("feed-forward outputs set to 0: 105 of 512", "105 of the 512"),
               ("max |first output - second output| = 1.2374", "1.2374 apart"),
               ("step 199  loss 2.567", "2.567 at step 199"),
               ("the held-out loss three times: 2.525, 2.529, 2.538", "2.525, 2.529 and 2.538"),
               ("with every dropout set to p = 0:                2.476", "than the 2.476")],
              [("feed-forward outputs set to 0: 0 of 512", "no output is zeroed"),
               ("max |first output - second output| = 0.0000", "differ by 0.0000"),
               ("the held-out loss three times: 2.476, 2.476, 2.476", "2.476 all four times"),
               ("with every dropout set to p = 0:                2.476", "2.476 all four times")]),
    "17-00": ([("step  30  loss 2.280", "2.28 at step 30"), ("step  50  loss 1.002", "1.00 at step 50"),
               ("step  79  loss 0.198", "0.20 at step 79"), ("'The lynxxxxxxxxxxxxxxx", "'The lynxxxxxxxxxxxxxxx")],
              [("step  79  loss 2.825", "2.8")]),
    "17-01": ([("'t' 0.158, 'a' 0.110", "'t' 0.158, 'a' 0.110"),
               ("top-k keeps   : 'º' 1.9e-05, 'F' 1.8e-05, '<' 1.8e-05, '\\x08' 1.7e-05, 'ä' 1.7e-05", "2e-05"),
               ("kept set: 0.0001", "0.0001"), ("'tae tae tae", "'tae tae tae")],
              [("probability mass of the kept set: 0.4909", None)]),
    "17-02": ([("          0.5             0.158            2.951", "0.158 and entropy 2.951"),
               ("          2.0             0.158            2.951", None), ("T = 0.5: +0.000 nats", "+0.000 nats")],
              [("          0.5             0.346            2.190", "2.190 nats at T = 0.5"),
               ("          2.0             0.067            4.186", "4.186 at T = 2")]),
    "17-03": ([("decayed parameter tensors: 9, with 21,088 numbers", "9 tensors with 21,088 numbers"),
               ("non-decayed parameter tensors: 7, with 384 numbers", "7 tensors with 384"),
               ("blocks.0.ln1.weight  mean 0.898", "0.898 (ln1)"), ("blocks.0.ln2.weight  mean 0.942", "0.942 (ln2)"),
               ("ln_f.weight          mean 1.509", "1.509 (ln_f)"), ("last 100 steps: 1.801", "1.801 against 1.795")],
              [("decayed parameter tensors: 6, with 20,992 numbers", "6 tensors with 20,992"),
               ("non-decayed parameter tensors: 10, with 480 numbers", "10 are not"),
               ("blocks.0.ln1.weight  mean 1.026", "1.026 (ln1)"), ("blocks.0.ln2.weight  mean 1.079", "1.079 (ln2)"),
               ("ln_f.weight          mean 1.658", "1.658 (ln_f)"), ("last 100 steps: 1.795", "is 1.795")]),
}


_ENDS_IN_NUMBER = re.compile(r"^(.*?)(-?\d+\.(\d+))$", re.S)


def printed_in(pin: str, out: str) -> bool:
    """``pin`` is in ``out``, or its trailing number is, within two units of its last digit."""
    if pin in out:
        return True
    m = _ENDS_IN_NUMBER.match(pin)
    if not m:
        return False
    prefix, number, decimals = m.groups()
    tol = 2.5 * 10 ** -len(decimals)
    found = re.findall(re.escape(prefix) + r"(-?\d+\.\d+)", out)
    return any(abs(float(x) - float(number)) <= tol for x in found)


def test_printed_in_tolerates_the_last_digit_only():
    out = "  step  59  loss 1.685\n  step  60  loss 2.000\n"
    assert printed_in("step  59  loss 1.686", out)
    assert printed_in("step  59  loss 1.687", out)
    assert not printed_in("step  59  loss 1.690", out)
    assert not printed_in("step  58  loss 1.685", out)
    assert not printed_in("changed: [4, 5]", out)


def break_dir(bid: str) -> Path:
    (d,) = REPO.glob(f"breaks/{bid}-*")
    return d


def observe(bid: str, broken: bool, tmp: Path) -> str:
    d = break_dir(bid)
    data = yaml.safe_load((d / "break.yaml").read_text(encoding="utf-8"))
    work = tmp / ("broken" if broken else "reference")
    shutil.copytree(REPO / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if broken:
        subprocess.run(["git", "apply", str(d / "break.patch")], cwd=work, check=True)
    argv = [sys.executable if a == "python" else a for a in data["observe"]]
    env = {**os.environ, "PYTHONPATH": str(work / "src"), "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def quoted(bid: str) -> str:
    data = yaml.safe_load((break_dir(bid) / "break.yaml").read_text(encoding="utf-8"))
    return " ".join(data[k][lang] for k in ("prompt", "symptom") for lang in ("en",))


@pytest.mark.parametrize("bid", sorted(PINS))
def test_broken_program_prints_what_the_break_quotes(bid, tmp_path):
    out = observe(bid, True, tmp_path)
    text = quoted(bid)
    for printed, quote in PINS[bid][0]:
        assert printed_in(printed, out), f"{bid}: the broken program no longer prints {printed!r}:\n{out}"
        assert quote is None or quote in text, f"{bid}: break.yaml no longer quotes {quote!r}"


@pytest.mark.parametrize("bid", sorted(PINS))
def test_reference_program_prints_the_healthy_numbers(bid, tmp_path):
    out = observe(bid, False, tmp_path)
    text = quoted(bid)
    for printed, quote in PINS[bid][1]:
        assert printed_in(printed, out), f"{bid}: the reference program no longer prints {printed!r}:\n{out}"
        assert quote is None or quote in text, f"{bid}: break.yaml no longer quotes {quote!r}"
