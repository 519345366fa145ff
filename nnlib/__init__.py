"""nnlib: a small numpy library that shows how a neural network learns.

    net = Network([2, 4, 1], seed=0)
    X, y = datasets.xor()
    history = train(net, X, y, lr=0.1, epochs=10000)
"""
from . import datasets, experiments, statistics
from .batched import NetworkStack, train_stack
from .experiments import Run, sweep
from .activations import ACTIVATIONS
from .gradcheck import check_gradients, numerical_gradients
from .losses import LOSSES
from .network import Network
from .training import DivergedWarning, History, train

__all__ = ["ACTIVATIONS", "LOSSES", "DivergedWarning", "History", "Network", "NetworkStack",
           "Run", "check_gradients", "datasets", "experiments", "numerical_gradients",
           "statistics", "sweep", "train", "train_stack"]
