"""The phase-13 breaks, proved with real git on a scratch copy of src/:
the check passes on the reference, fails with the patch applied, passes again after `git apply -R`;
and the observation program shows the symptom that break.yaml describes (the numbers it states)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
BREAKS = {
    "13-00": REPO / "breaks/13-00-tied-vocab",
    "13-01": REPO / "breaks/13-01-embedding-scatter",
    "13-02": REPO / "breaks/13-02-embedding-init-scale",
    "13-03": REPO / "breaks/13-03-negative-padding-id",
}


def git(work, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          cwd=work, capture_output=True, text=True, check=True)


@pytest.fixture
def work(tmp_path):
    """A scratch workspace: the reference src/ in a fresh git repository."""
    shutil.copytree(REPO / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "src")
    git(tmp_path, "commit", "-q", "-m", "reference")
    return tmp_path


def run(work, argv, timeout=120):
    """As lynx runs observe/check: cwd = workspace root, the workspace's src/ first on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": str(work / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable if argv[0] == "python" else argv[0], *argv[1:]],
                          cwd=work, env=env, capture_output=True, text=True, timeout=timeout)


def check(work, bid):
    test_file = BREAKS[bid] / "check_test.py"
    return run(work, ["python", "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider", "-o", "addopts=",
                      "--rootdir", str(test_file.parent), str(test_file)])


def observe(work, bid):
    import yaml

    meta = yaml.safe_load((BREAKS[bid] / "break.yaml").read_text(encoding="utf-8"))
    return run(work, meta["observe"])


@pytest.mark.parametrize("bid", sorted(BREAKS))
def test_break_yaml_is_valid(bid):
    sys.path.insert(0, str(REPO))
    from lynx.content.breaks import parse_break

    data = parse_break(BREAKS[bid] / "break.yaml")
    assert data["id"] == bid and data["phase"] == "13"
    assert len(data["hints"]) >= 3


@pytest.mark.parametrize("bid", sorted(BREAKS))
def test_check_fails_on_the_break_and_passes_on_the_fix(work, bid):
    ref = check(work, bid)
    assert ref.returncode == 0, ref.stdout[-3000:]
    git(work, "apply", str(BREAKS[bid] / "break.patch"))
    assert git(work, "diff", "--stat").stdout.strip(), "the patch changed nothing"
    broken = check(work, bid)
    assert broken.returncode == 1, broken.stdout[-3000:]  # 1 = tests failed (not an import error, 2..5)
    git(work, "apply", "-R", str(BREAKS[bid] / "break.patch"))
    assert git(work, "diff", "--stat").stdout.strip() == ""
    fixed = check(work, bid)
    assert fixed.returncode == 0, fixed.stdout[-3000:]


def test_13_00_symptom_is_a_shape_error_naming_512_and_256(work):
    assert round(float(np.log(256)), 2) == 5.55 and round(float(np.log(512)), 2) == 6.24  # the prompt's numbers
    git(work, "apply", str(BREAKS["13-00"] / "break.patch"))
    proc = observe(work, "13-00")
    assert proc.returncode != 0
    assert "embedding.weight.shape       : (512, 32)" in proc.stdout
    assert "head.vocab_size_out          : 256" in proc.stdout
    assert "logits.shape                 : (8, 16, 512)" in proc.stdout
    assert "Traceback" in proc.stderr and "in cross_entropy" in proc.stderr
    assert "ValueError: cross_entropy: logits have shape (8, 16, 512) but the targets expect 256 classes" in proc.stderr
    assert "step " not in proc.stdout


def ratios(stdout, header):
    """token -> ratio, from the table that follows `header` in embedding_grad's output."""
    lines = stdout.split(header, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["token", "count"]) + 1
    table = {}
    for line in lines[start:]:
        if not line.strip():
            break
        parts = line.split()
        table[" ".join(parts[:-4])] = (int(parts[-4]), float(parts[-1]))
    return table


def test_13_01_symptom_repeated_tokens_get_too_little_gradient(work):
    ref = observe(work, "13-01")
    assert ref.returncode == 0, ref.stderr
    assert all(r == 1.0 for _, r in ratios(ref.stdout, "tiny example").values())
    git(work, "apply", str(BREAKS["13-01"] / "break.patch"))
    proc = observe(work, "13-01")
    assert proc.returncode == 0, proc.stderr
    tiny = ratios(proc.stdout, "tiny example")
    assert tiny["7"] == (1, 1.0)  # seen once: exact
    assert tiny["2"][0] == 3 and tiny["2"][1] < 0.9  # seen three times: too small
    assert tiny["5"][0] == 2 and tiny["5"][1] < 0.9
    batch = ratios(proc.stdout, "the five most frequent tokens")
    top = list(batch)[:2]
    assert top == ["' '", "'e'"]  # the space and 'e', as the symptom says
    assert all(batch[t][1] < 0.5 for t in top)
    worst = float(re.search(r"over the whole table: (\S+)", proc.stdout).group(1))
    assert worst > 1.0


def losses(stdout):
    return [float(line.split()[-1]) for line in stdout.splitlines() if line.startswith("step ")]


def number(stdout, label):
    return float(re.search(re.escape(label) + r"\s*:\s*(\S+)", stdout).group(1))


def test_13_02_symptom_first_loss_far_above_ln_v(work):
    ref = observe(work, "13-02")
    assert ref.returncode == 0, ref.stderr
    ref_losses = losses(ref.stdout)
    assert abs(ref_losses[0] - np.log(512)) < 0.01 and ref_losses[-1] < 3.5  # "the reference is near 3"
    assert number(ref.stdout, "logit std at init") < 0.01
    git(work, "apply", str(BREAKS["13-02"] / "break.patch"))
    proc = observe(work, "13-02")
    assert proc.returncode == 0, proc.stderr
    bad = losses(proc.stdout)
    assert len(bad) == 30
    assert 25 < bad[0] < 35  # "a first loss around 29"
    assert 0.9 < number(proc.stdout, "embedding weight std") < 1.1
    assert 5.0 < number(proc.stdout, "logit std at init") < 7.5  # "about 6"
    assert 5.5 < bad[-1] < 7.0  # "only down to about ln 512" after 30 steps


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_13_00_check_accepts_a_head_that_refuses_a_wrong_size(work):
    """Another honest fix: keep the argument but make the head refuse a size its table cannot produce."""
    git(work, "apply", str(BREAKS["13-00"] / "break.patch"))
    edit(work / "src/minimodel/nn/lm_head.py", "        self.vocab_size_out = vocab_size_out\n",
         "        if vocab_size_out != embedding.vocab_size:\n"
         "            raise ValueError(f'tied head: {vocab_size_out} != {embedding.vocab_size}')\n"
         "        self.vocab_size_out = vocab_size_out\n")
    edit(work / "src/minimodel/programs/tied_lm.py", "vocab_size_out=ByteTokenizer.vocab_size", "vocab_size_out=vocab_size")
    assert check(work, "13-00").returncode == 0


def test_13_00_check_rejects_only_patching_the_caller(work):
    """Passing the right number by hand fixes the run but leaves the head able to disagree."""
    git(work, "apply", str(BREAKS["13-00"] / "break.patch"))
    edit(work / "src/minimodel/programs/tied_lm.py", "vocab_size_out=ByteTokenizer.vocab_size", "vocab_size_out=vocab_size")
    assert observe(work, "13-00").returncode == 0
    assert check(work, "13-00").returncode == 1


def test_13_02_check_accepts_a_one_over_sqrt_d_init(work):
    git(work, "apply", str(BREAKS["13-02"] / "break.patch"))
    edit(work / "src/minimodel/nn/embedding.py", "        std = 1.0\n", "        std = 1.0 / np.sqrt(d_model)\n")
    assert check(work, "13-02").returncode == 0


def test_13_01_check_accepts_bincount(work):
    git(work, "apply", str(BREAKS["13-01"] / "break.patch"))
    edit(work / "src/minimodel/nn/embedding.py",
         "            grad[flat] += out.grad.reshape(-1)\n",
         "            grad[:] = np.bincount(flat, weights=out.grad.reshape(-1), minlength=grad.size)\n")
    assert check(work, "13-01").returncode == 0
