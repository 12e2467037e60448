"""Can the model tell positions apart from their sinusoidal encodings?

Run:  python -m minimodel.programs.position_clocks [--positions 128] [--d-model 32]

Builds the sinusoidal table of Vaswani et al. (2017) for 128 positions and d_model = 32. Prints,
for a few (sin, cos) pairs, how far the pair's angle turns from position 0 to the last position
(each pair is a clock turning at its own speed), how many of the 16 pairs move at all over the
sequence, and the two distinct positions whose encodings are closest (Euclidean distance).
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.transformer import sinusoidal_positions
from minimodel.programs.measure import lynx_measure


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=128)
    parser.add_argument("--d-model", type=int, default=32)
    args = parser.parse_args(argv)
    n, d = args.positions, args.d_model
    pe = sinusoidal_positions(n, d)
    # The angle of pair i at position p, read back from its (sin, cos) values.
    angles = np.unwrap(np.arctan2(pe[:, 0::2], pe[:, 1::2]), axis=0)
    turned = angles[-1] - angles[0]
    print(f"sinusoidal_positions({n}, {d}): {d // 2} (sin, cos) pairs")
    print("  pair   angle turned over the sequence (radians)")
    for i in (0, 1, 2, 4, 8, d // 2 - 1):
        print(f"  {i:4d}   {turned[i]:14.4f}")
    moving = int((np.abs(turned) > 0.01).sum())
    print(f"pairs that turn more than 0.01 rad: {moving} of {d // 2}")
    lynx_measure("moving_pairs", moving)

    dist = np.sqrt(((pe[:, None, :] - pe[None, :, :]) ** 2).sum(-1))
    dist[np.arange(n), np.arange(n)] = np.inf
    a, b = np.unravel_index(np.argmin(dist), dist.shape)
    a, b = sorted((int(a), int(b)))
    print(f"closest distinct positions: {a} and {b}, distance {dist[a, b]:.4f}")
    print(f"distance between positions 0 and 1: {dist[0, 1]:.4f}")
    lynx_measure("closest_distance", dist[a, b])
    return {"moving": moving, "closest": (a, b, float(dist[a, b]))}


if __name__ == "__main__":
    main()
