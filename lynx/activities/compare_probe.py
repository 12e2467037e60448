"""The recorder `lynx run --compare` runs a break's observation program under (a script, never imported by
lynx itself: it runs in the program's own interpreter, with the code under test first on the path).

    python compare_probe.py OUT.json -m minimodel.programs.tied_lm [ARGS...]

Through minimodel's hooks it records, in the order things happen: each module's input and output when its
forward ends (mean, std, max |x|, NaN and inf counts, shape; the first few calls of each module), each backward
pass's loss, and after the first backward passes the gradient norm of each module's own parameters. A crash
is recorded with where it happened. The record is written to OUT.json however the program ends.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback

CALLS_KEPT = 3      # calls of one module recorded (the first steps are where runs part)
GRAD_STEPS = 2      # backward passes whose gradient norms are recorded
MAX_EVENTS = 4000   # a bound on the record, whatever the program does
MAX_LOSSES = 5000


def main(argv: list[str]) -> None:
    out_path, *program = argv
    import numpy as np
    from minimodel import hooks
    from minimodel.module import Module
    from minimodel.tensor import Tensor

    events: list[dict] = []
    losses: list[float] = []
    calls: dict[int, int] = {}
    modules: dict[int, Module] = {}  # id → module, every one seen (kept alive, so an id is never reused)

    def stats(value) -> dict | None:
        if isinstance(value, (tuple, list)):
            value = next((v for v in value if isinstance(v, Tensor)), None)
        if not isinstance(value, Tensor):
            return None
        a = np.asarray(value.data, dtype=np.float64)
        finite = a[np.isfinite(a)]
        return {"shape": list(a.shape), "mean": float(finite.mean()) if finite.size else 0.0,
                "std": float(finite.std()) if finite.size else 0.0,
                "max": float(np.abs(finite).max()) if finite.size else 0.0,
                "nan": int(np.isnan(a).sum()), "inf": int(np.isinf(a).sum())}

    def pre(module, inputs) -> None:
        modules.setdefault(id(module), module)

    def post(module, inputs, output) -> None:
        key = id(module)
        n = calls.get(key, 0)
        calls[key] = n + 1
        if n < CALLS_KEPT and len(events) < MAX_EVENTS:
            events.append({"kind": "forward", "path": key, "call": n, "stats": stats(output),
                           "input": stats(inputs[0]) if inputs else None})

    def after_backward(root) -> None:
        step = len(losses)
        value = float(np.asarray(root.data, dtype=np.float64).ravel()[0]) if root.data.size == 1 else float("nan")
        if step < MAX_LOSSES:
            losses.append(value)
        if len(events) < MAX_EVENTS:
            events.append({"kind": "loss", "path": "loss", "call": step, "value": value})
        if step < GRAD_STEPS:
            for key, module in list(modules.items()):
                own = [v for v in vars(module).values() if isinstance(v, Tensor) and v.requires_grad]
                grads = [np.asarray(p.grad, dtype=np.float64) for p in own if p.grad is not None]
                if grads and len(events) < MAX_EVENTS:
                    norm = float(np.sqrt(sum(float((g * g).sum()) for g in grads)))
                    events.append({"kind": "grad", "path": key, "call": step, "value": norm})

    hooks.register_forward_pre_hook(pre)
    hooks.register_forward_hook(post)
    hooks.register_backward_hook(after_backward)

    crash = None
    status = 0
    try:
        if program[0] == "-m":
            sys.argv = [program[1], *program[2:]]
            runpy.run_module(program[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(program)
            runpy.run_path(program[0], run_name="__main__")
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:  # the program's crash is the observation: record it, then let it show
        status = 1
        frames = traceback.extract_tb(exc.__traceback__)
        own = [f for f in frames if not f.filename.startswith(sys.prefix) and "runpy" not in f.filename
               and not f.filename.endswith("compare_probe.py")]
        where = own[-1] if own else frames[-1]
        crash = {"type": type(exc).__name__, "message": str(exc)[:500],
                 "file": os.path.relpath(where.filename), "line": where.lineno, "function": where.name,
                 "modules_ran": bool(calls)}
        traceback.print_exc()
    names = paths(modules)
    for e in events:
        if e["path"] != "loss":
            e["path"] = names[e["path"]]
    with open(out_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"events": events, "losses": losses, "crash": crash, "status": status}, f)
    os.replace(out_path + ".tmp", out_path)
    sys.stdout.flush()
    raise SystemExit(status)


def paths(modules: dict) -> dict[int, str]:
    """Each module's dotted path from the outermost module that holds it (TiedLM.embed), named once the run
    is over, so a layer first called on its own (lstm.gates calling w_ih) still gets its owner's name. Two
    outermost modules of one class are told apart as GPT, GPT#2, in the order first seen."""
    parent: dict[int, tuple[int, str]] = {}
    for key, module in modules.items():
        for name, child in module.children():
            if id(child) in modules and id(child) not in parent:
                parent[id(child)] = (key, name)
    names: dict[int, str] = {}
    taken: dict[str, int] = {}

    def name(key: int) -> str:
        if key not in names:
            if key in parent and parent[key][0] != key:
                up, attr = parent[key]
                names[key] = f"{name(up)}.{attr}"
            else:
                base = type(modules[key]).__name__
                taken[base] = taken.get(base, 0) + 1
                names[key] = base if taken[base] == 1 else f"{base}#{taken[base]}"
        return names[key]

    for key in modules:
        name(key)
    return names


if __name__ == "__main__":
    main(sys.argv[1:])
