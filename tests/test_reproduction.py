"""nnlib reproduces the original library's experiments exactly.

benchmarks/original.py re-implements the original's loop from its
description (shared/origin/ABOUT.md); nnlib must give the same numbers.
"""
import sys
from pathlib import Path

import numpy as np

from nnlib import Network, datasets, train
from nnlib import original as original_library



def test_single_network_matches_the_original_loop_epoch_by_epoch():
    np.random.seed(0)
    original = original_library.TwoLayerPerceptron(2, 3, 1)
    original_mse = original.train(original_library.XOR_X, original_library.XOR_y, 2000, 0.1)

    X, y = datasets.xor()
    net = Network([2, 3, 1], loss="half_sse", seed=0)
    history = train(net, X, y, lr=0.1, epochs=2000)
    np.testing.assert_allclose(history.mse, original_mse, rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.forward(X), original.forward(X), rtol=0, atol=1e-12)
