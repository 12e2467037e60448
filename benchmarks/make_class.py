"""Make a class of learners' bare repositories with realistic histories, for `lynx class`.

Each learner's repository holds what `lynx init` makes (the whole course, lynx.toml, the
learner's folder) and then weeks of work, one commit per study session: break attempts
(progress.json and notes/breaks.md, with hints and prediction calibration), quiz attempts
(phase-NN/quiz.yaml) and flashcard reviews (cards.json, real FSRS states from lynx.activities.scheduling).
Every break done has its branch, as `lynx break` and `lynx done` leave it: `lynx/break/<id>` with the
break applied, then the learner's fix (what `lynx class --verify` re-checks). Most fixes restore the
reference code byte for byte (undoing a one-line bug does); about 1 in 70 is written differently (a
tree of its own, still correct), and 1 learner in 50 calls breaks done that their code does not fix.
Histories are written with `git fast-import`, one process per repository, the learners in parallel
(--jobs), so 200 learners take seconds. A few learners pushed nothing but their new workspace (no lynx data).

    python benchmarks/make_class.py /tmp/class200                # 200 bare repos + class.yaml
    python benchmarks/make_class.py /tmp/class200 --time         # ... then time `lynx class` twice
    python benchmarks/make_class.py /tmp/class20 -n 20 --branches  # one repo, a branch per learner

On the project's 2-core machines the target is under 20 s for the first `lynx class` over
200 learners, and less for a second run with nothing new.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE_PARTS = ("phases", "breaks", "data", "src/minimodel")
NAMES = ["ana", "borja", "carla", "dani", "elena", "fran", "gala", "hugo", "ines", "jon", "kira", "luis", "marta",
         "nico", "olga", "pau", "quim", "rosa", "sara", "teo", "uma", "vera", "xavi", "yago", "zoe"]


def course_files(root: Path) -> dict[str, bytes]:
    files = {}
    for part in COURSE_PARTS:
        for p in sorted((root / part).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                files[str(p.relative_to(root))] = p.read_bytes()
    files[".gitignore"] = b".lynx/\n__pycache__/\n*.pyc\n.pytest_cache/\n"
    return files


class Stream:
    """A `git fast-import` stream for one repository."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.mark = 0

    def data(self, payload: bytes) -> None:
        self.parts.append(b"data %d\n" % len(payload) + payload + b"\n")

    def commit(self, ref: str, when: datetime, author: str, message: str, files: dict[str, bytes],
               parent: int | None) -> int:
        self.mark += 1
        ts = int(when.timestamp())
        self.parts.append(f"commit {ref}\nmark :{self.mark}\n"
                          f"committer {author} <{author}@school.example> {ts} +0000\n".encode())
        self.data(message.encode())
        if parent:
            self.parts.append(f"from :{parent}\n".encode())
        for path, content in files.items():
            self.parts.append(f"M 100644 inline {path}\n".encode())
            self.data(content)
        return self.mark

    def run(self, repo: Path) -> None:
        proc = subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=repo, input=b"".join(self.parts),
                              capture_output=True)
        if proc.returncode != 0:
            sys.exit(f"git fast-import failed in {repo}: {proc.stderr.decode()[-500:]}")


def break_files(root: Path, bids: list[str]) -> dict[str, tuple[dict[str, bytes], dict[str, bytes]]]:
    """``{break id: (broken files, fixed files)}``: each break applied to the reference, and its fix."""
    import tempfile

    sys.path.insert(0, str(root))
    from lynx.content.course import Course

    course = Course(root, use_cache=False)
    out = {}
    for bid in bids:
        b = course.brk(bid)
        with tempfile.TemporaryDirectory() as tmp:
            for rel in b.files:
                (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
                (Path(tmp) / rel).write_bytes((root / rel).read_bytes())
            subprocess.run(["git", "apply", str(b.patch)], cwd=tmp, check=True)
            broken = {rel: (Path(tmp) / rel).read_bytes() for rel in b.files}
            if b.fix_patch:
                subprocess.run(["git", "apply", str(b.fix_patch)], cwd=tmp, check=True)
            else:
                subprocess.run(["git", "apply", "-R", str(b.patch)], cwd=tmp, check=True)
            out[bid] = (broken, {rel: (Path(tmp) / rel).read_bytes() for rel in b.files})
    return out


def history(stream: Stream, ref: str, name: str, course: dict[str, bytes], breaks: list[str], quizzes: list[str],
            cards: list[str], rng: random.Random, start: datetime,
            code: dict[str, tuple[dict[str, bytes], dict[str, bytes]]] | None = None, dishonest: bool = False) -> None:
    """One learner's workspace: `lynx init`, then study sessions, each one commit (and a branch per break done)."""
    from lynx.activities import scheduling
    from lynx.core.clock import parse
    from lynx.learner.cardstates import CardStates

    toml = f'# lynx workspace settings\n[workspace]\nlearner = "{name}"\nlang = "{rng.choice(["en", "es"])}"\n'
    base = dict(course)
    base["lynx.toml"] = toml.encode()
    base[f"learners/{name}/README.md"] = f"# {name}\n\nYour notes, predictions, quiz attempts and progress.\n".encode()
    when = start + timedelta(hours=rng.uniform(0, 72))
    parent = stream.commit(ref, when, name, f"lynx: new workspace for {name}", base, None)
    if rng.random() < 0.05:
        return  # pushed the new workspace and nothing else
    d = f"learners/{name}"
    progress = {"learner": name, "breaks": {}, "builds": {}}
    notes: dict[str, str] = {}
    quiz_attempts: dict[str, list] = {}
    states = CardStates()
    skill = rng.uniform(0.2, 0.8)  # how often this learner's predictions are right, growing with practice
    honest = not dishonest  # 1 learner in 50 calls some breaks done that their code does not fix
    next_break = 0
    branch_of: dict[str, int] = {}
    for _ in range(rng.randint(3, 40)):
        when += timedelta(hours=rng.uniform(2, 40))
        changed: dict[str, bytes] = {}
        kind = rng.choices(["break", "quiz", "cards"], weights=[5, 2, 3])[0]
        if kind == "break" and next_break < len(breaks):
            bid = breaks[next_break]
            phase = bid.split("-")[0]
            hints = rng.choice([0, 0, 1, 1, 2, 3])
            cal = "y" if rng.random() < skill else rng.choice(["partly", "n"])
            skill = min(0.95, skill + 0.02)
            outcome = rng.choices(["fixed", "solution", "aborted"], weights=[7, 2, 1])[0]
            entry = progress["breaks"].setdefault(bid, {"hints": 0, "attempts": []})
            entry["hints"] = max(entry["hints"], hints)
            n = branch_of[bid] = branch_of.get(bid, 0) + 1
            branch = f"lynx/break/{bid}" + (f"-{n}" if n > 1 else "")
            entry["attempts"].append({"started": when.isoformat(), "ended": (when + timedelta(minutes=40)).isoformat(),
                                      "outcome": outcome, "hints": hints, "prediction": "the loss will stall",
                                      "calibration": None if outcome == "aborted" else cal, "branch": branch})
            if code and bid in code:  # the branch `lynx break` made, and what the learner left on it
                broken, fixed = code[bid]
                mine = dict(fixed)
                if outcome == "aborted" or (not honest and rng.random() < 0.5):
                    mine = dict(broken)  # an abort leaves the bug in; a dishonest claim too
                elif outcome == "fixed" and rng.random() < 1 / 70:
                    first = sorted(mine)[0]  # the same fix written another way: a tree of its own
                    mine[first] = mine[first] + f"\n# fixed by {name}\n".encode()
                bmark = stream.commit(f"refs/heads/{branch}", when, name, f"lynx: break {bid}", broken, parent)
                stream.commit(f"refs/heads/{branch}", when + timedelta(minutes=39), name,
                              f"lynx: your work on break {bid} (done)", mine, bmark)
            if outcome != "aborted":
                next_break += 1
            notes[phase] = notes.get(phase, "") + (f"\n## {bid}\n\n**Prediction:** the loss will stall\n\n"
                                                   f"**Outcome:** {outcome}, {hints} hints. Right? {cal}\n")
            changed[f"{d}/progress.json"] = json.dumps(progress, indent=2, sort_keys=True).encode()
            changed[f"{d}/phase-{phase}/notes/breaks.md"] = notes[phase].encode()
        elif kind == "quiz" and quizzes:
            qid = rng.choice(quizzes)
            phase = qid.removeprefix("phase-")
            answers = []
            for q_id, kind_q, n_opts, right, hard in QUESTIONS.get(qid, []):
                ok = rng.random() < min(0.95, max(0.05, skill + 0.35 - hard))
                if kind_q == "free":
                    answers.append({"id": q_id, "given": "a rank collapse" if ok else "no idea", "correct": ok})
                    continue
                wrong = [i for i in range(n_opts) if i not in right] or [0]
                picks = sorted(right) if ok else [wrong[0] if rng.random() < 0.6 else rng.choice(wrong)]
                answers.append({"id": q_id, "given": ",".join("abcdefgh"[i] for i in picks), "chosen": picks,
                                "correct": ok})
            total, score = len(answers), sum(a["correct"] for a in answers)
            quiz_attempts.setdefault(phase, []).append({
                "quiz": qid, "started": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "seconds": 300.0, "lang": "en",
                "mode": "terminal", "review": False, "finished": True, "score": score, "total": total,
                "answers": answers})
            changed[f"{d}/phase-{phase}/quiz.yaml"] = _yaml({"attempts": quiz_attempts[phase]})
        else:
            fresh = [c for c in cards if c not in states.cards][:rng.randint(0, 10)]
            due = [c for c, e in states.cards.items() if parse(e.due) <= when]
            for c in due + fresh:
                for _ in range(3):  # learning steps: rate until the card leaves them
                    e = scheduling.review(states, c, rng.choices([1, 2, 3, 4], weights=[1, 1, 6, 2])[0], when)
                    if e.fsrs["state"] == scheduling.REVIEW:
                        break
            changed[f"{d}/cards.json"] = json.dumps(states.to_json(), indent=2, sort_keys=True).encode()
        if changed:
            parent = stream.commit(ref, when, name, f"lynx: {kind} session", changed, parent)


_SHARED: tuple = ()
QUESTIONS: dict[str, list[tuple[str, str, int, tuple[int, ...], float]]] = {}  # quiz -> (id, kind, options, right, hardness)


def _one_learner(job: tuple[int, str, Path]) -> None:
    """One bare repository (in a worker process): its own random stream, so the class is the same for any --jobs."""
    i, name, repo = job
    course, breaks, quizzes, cards, start, code, seed = _SHARED
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(repo)], check=True)
    stream = Stream()
    history(stream, "refs/heads/main", name, course, breaks, quizzes, cards, random.Random(f"{seed}-{i}"), start, code,
            dishonest=i % 50 == 17)
    stream.run(repo)


def _yaml(data) -> bytes:
    import yaml

    return ("# Quiz attempts, appended by `lynx quiz`.\n" + yaml.safe_dump(data, sort_keys=False)).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder for the bare repositories (made if missing)")
    ap.add_argument("-n", "--learners", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--branches", action="store_true", help="one repository with a branch per learner")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="learners generated at the same time")
    ap.add_argument("--time", action="store_true", help="then time `lynx class` twice (cold, then nothing new)")
    args = ap.parse_args()

    sys.path.insert(0, str(REPO))
    from lynx.content import deck

    rng = random.Random(args.seed)
    course = course_files(REPO)
    breaks = sorted({"-".join(p.parent.name.split("-")[:2]) for p in (REPO / "breaks").glob("*/break.yaml")})
    quizzes = sorted({p.stem.split("-")[0] + "-" + p.stem.split("-")[1] for p in (REPO / "data/quizzes").glob("phase-*.yaml")})
    cards = [c.id for c in deck.load(REPO)]
    code = break_files(REPO, breaks)
    from lynx.content.quiz import load_all

    for qz in load_all(REPO):  # the course's real questions: the class's answers can be analysed (--items)
        QUESTIONS[qz.id] = [(q.id, q.kind, len(q.options), tuple(sorted(q.correct_indices)),
                             (sum(map(ord, q.id)) % 7) / 10) for q in qz.questions]
    args.out.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 9, 14, 8, 0, tzinfo=timezone.utc)
    names = [f"{NAMES[i % len(NAMES)]}{i // len(NAMES) or ''}" for i in range(args.learners)]
    t0 = time.perf_counter()
    remotes = []
    if args.branches:
        repo = args.out / "class.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(repo)], check=True)
        stream = Stream()
        for name in names:  # one repository: no break branches (they would collide)
            history(stream, f"refs/heads/learner/{name}", name, course, breaks, quizzes, cards, rng, start)
        stream.run(repo)
        remotes.append(f"  - {{url: {repo}, branches: 'learner/*'}}")
    else:
        from concurrent.futures import ProcessPoolExecutor

        global _SHARED
        _SHARED = (course, breaks, quizzes, cards, start, code, args.seed)
        jobs = [(i, name, args.out / f"{name}.git") for i, name in enumerate(names)]
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:  # forked: each worker has _SHARED
            list(pool.map(_one_learner, jobs, chunksize=8))
        remotes += [f"  - {repo}" for _, _, repo in jobs]
    (args.out / "class.yaml").write_text("remotes:\n" + "\n".join(remotes) + "\n", encoding="utf-8")
    print(f"{args.learners} learners in {args.out} ({time.perf_counter() - t0:.1f} s); class list: {args.out / 'class.yaml'}")
    if args.time:
        cache = args.out / "teacher-cache"
        for label in ("first run", "nothing new"):
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "lynx", "class", "--file", str(args.out / "class.yaml"),
                                   "--cache", str(cache), "--csv"], capture_output=True, text=True)
            took = time.perf_counter() - t
            if proc.returncode != 0:
                sys.exit(f"lynx class failed: {proc.stderr}")
            rows = len(proc.stdout.splitlines()) - 1
            print(f"lynx class, {label}: {took:.2f} s for {rows} learners")


if __name__ == "__main__":
    main()
