"""nnlib: a small numpy library that shows how a neural network learns.

    net = Network([2, 4, 1], seed=0)
    X, y = datasets.xor()
    history = train(net, X, y, lr=0.1, epochs=10000)

This package is the core: the math the notebooks derive, in plain numpy.
Importing it loads numpy and nothing heavier. Built on top of it, and
imported only when asked for:

    nnlib.fast          the same math with fewer numpy calls, and many networks at once
    nnlib.experiments   sweeps over many random starts, and their statistics
    nnlib.widgets       the notebooks' interactive panels (ipywidgets, matplotlib)
    nnlib.cli           python -m nnlib train / sweep
"""
from . import datasets
from .activations import ACTIVATIONS
from .gradcheck import check_gradients, numerical_gradients
from .losses import LOSSES
from .network import Network
from .training import DivergedWarning, History, train

__all__ = ["ACTIVATIONS", "LOSSES", "DivergedWarning", "History", "Network",
           "check_gradients", "datasets", "numerical_gradients", "train"]
