"""The time-to-target instances of orbit_side_by_side.py and hals_targets.py: name -> (V, r)."""
import numpy as np


def case(name):
    """planted-500x400 (V = W0 H0, RandomState(1), r = 10), noisy-500x400 (the same V plus 0.1 mean(V) times
    uniform [0, 1) noise from RandomState(101)), planted-2000x2000 (RandomState(2), r = 20)."""
    if name == 'planted-2000x2000':
        rng = np.random.RandomState(2); return rng.rand(2000, 20) @ rng.rand(20, 2000), 20
    rng = np.random.RandomState(1); V = rng.rand(500, 10) @ rng.rand(10, 400)
    if name == 'noisy-500x400':
        V = V + 0.1 * V.mean() * np.random.RandomState(101).rand(500, 400)
    return V, 10
