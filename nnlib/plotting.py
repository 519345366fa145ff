"""Pictures the notebooks and the command line share: decision boundaries and loss curves."""
from typing import Callable, Optional, Sequence

import numpy as np

Predict = Callable[[np.ndarray], np.ndarray]    # inputs (n, 2) -> outputs, e.g. net.forward

BOUNDARY_CMAP = "RdBu_r"


def decision_grid(predict: Predict, resolution: int = 200, lo: float = -0.5, hi: float = 1.5):
    """Evaluate predict on a resolution x resolution grid over [lo, hi]^2.

    Returns (xs, ys, values) with values[i, j] = predict at (xs[j], ys[i]).
    """
    xs = np.linspace(lo, hi, resolution)
    ys = np.linspace(lo, hi, resolution)
    grid = np.array(np.meshgrid(xs, ys)).reshape(2, -1).T
    values = np.asarray(predict(grid)).reshape(resolution, resolution)
    return xs, ys, values


def plot_points(ax, X: np.ndarray, y: np.ndarray):
    """The samples as dots: dark for label 1, light for label 0."""
    labels = np.asarray(y).ravel()
    for label, colour in ((0, "white"), (1, "black")):
        chosen = labels == label
        ax.scatter(X[chosen, 0], X[chosen, 1], s=140, c=colour, edgecolors="black",
                   linewidths=1.5, zorder=3, label=f"y = {label}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def plot_decision_boundary(ax, predict: Predict, X: np.ndarray, y: np.ndarray,
                           resolution: int = 200, title: Optional[str] = None):
    """Shade predict's output over the plane, draw the 0.5 contour and the samples.

    predict maps an (n, 2) array to n outputs in [0, 1], for example net.forward.
    """
    xs, ys, values = decision_grid(predict, resolution)
    image = ax.imshow(values, origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]),
                      cmap=BOUNDARY_CMAP, vmin=0, vmax=1, aspect="equal")
    ax.contour(xs, ys, values, levels=[0.5], colors="black", linewidths=1)
    plot_points(ax, X, y)
    if title:
        ax.set_title(title)
    return image


def plot_loss_curves(ax, curves: Sequence[np.ndarray], labels: Optional[Sequence[str]] = None,
                     ylabel: str = "mean squared error"):
    """One line per loss curve, epochs on the x axis."""
    labels = labels or [None] * len(curves)
    for curve, label in zip(curves, labels):
        ax.plot(np.arange(len(curve)), curve, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if any(labels):
        ax.legend()
