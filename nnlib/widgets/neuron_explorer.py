"""Notebook 01's neuron explorer: one sigmoid neuron over the plane, with a slider per weight.

    from nnlib.widgets.neuron_explorer import neuron_explorer
    explorer = neuron_explorer()      # starts on XOR with w = (10, 10), b = -5

A drop-down picks a gate (AND, OR, NAND or XOR); sliders set the neuron's weights w₁, w₂
and its bias b. Every change redraws the neuron's output a = σ(x w + b) over the plane,
its line a = 0.5, the gate's four samples, and how many of them the neuron gets right.
For XOR that is never more than 3: the point of notebook 01's section 2.

Works on ipywidgets 7.7 and 8: Dropdown, FloatSlider, Image, HTML, VBox/HBox and observe
only. draw_neuron is the drawing code of both the live panel and its static picture
(explorer.png(), for nnlib.widgets.picture.show).
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .. import datasets
from ..activations import sigmoid
from ..plotting import plot_decision_boundary
from .common import png_bytes, safely
from .picture import Pictured

GATES = {"AND": datasets.and_gate, "OR": datasets.or_gate, "NAND": datasets.nand,
         "XOR": datasets.xor}
SLIDER = dict(min=-20.0, max=20.0, step=0.5, continuous_update=False)


def neuron(X, w, b):
    """One sigmoid neuron on every row of X: a = σ(X w + b), w a column of shape (2, 1)."""
    return sigmoid(X @ w + b)


def correct_count(gate, w1, w2, b):
    """How many of the gate's four samples the neuron gets right (a ≥ 0.5 read as 1)."""
    X, y = GATES[gate]()
    a = neuron(X, np.array([[w1], [w2]]), b)
    return int(np.sum((a >= 0.5) == (y == 1)))


def draw_neuron(ax, gate, w1, w2, b):
    """Redraw ax: the neuron's output over the plane, its line a = 0.5, the gate's samples."""
    X, y = GATES[gate]()
    w = np.array([[w1], [w2]])
    ax.clear()
    plot_decision_boundary(ax, lambda grid: neuron(grid, w, b), X, y, resolution=100,
                           title=f"{gate}: {correct_count(gate, w1, w2, b)} of 4 samples right")
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])


class NeuronExplorer(Pictured, widgets.HBox):
    """A gate drop-down and sliders for w₁, w₂, b beside the picture draw_neuron makes.

    For code and tests: .gate (Dropdown), .w1, .w2, .b (FloatSliders), .image (Image),
    .message (HTML, shows an error in red), .correct (samples right), .png().
    """

    picture_text = "one neuron: sliders for w1, w2 and b"

    def __init__(self, gate="XOR", w1=10.0, w2=10.0, b=-5.0):
        super().__init__()
        if gate not in GATES:
            raise ValueError(f"gate must be one of {', '.join(GATES)}; got {gate!r}")
        self.gate = widgets.Dropdown(options=list(GATES), value=gate, description="gate")
        self.w1 = widgets.FloatSlider(value=w1, description="$w_1$", **SLIDER)
        self.w2 = widgets.FloatSlider(value=w2, description="$w_2$", **SLIDER)
        self.b = widgets.FloatSlider(value=b, description="$b$", **SLIDER)
        self.figure = Figure(figsize=(4, 4), dpi=72)
        self.ax = self.figure.add_subplot()
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML()
        self.correct = None
        for control in (self.gate, self.w1, self.w2, self.b):
            control.observe(lambda change: safely(self.message, self.redraw), names="value")
        self.children = [widgets.VBox([self.gate, self.w1, self.w2, self.b, self.message]),
                         self.image]
        self.redraw()

    def values(self):
        return self.gate.value, self.w1.value, self.w2.value, self.b.value

    def redraw(self):
        draw_neuron(self.ax, *self.values())
        self.correct = correct_count(*self.values())
        self.image.value = png_bytes(self.figure)

    def png(self):
        """A picture of the whole panel, the controls' values beside the plot, drawn by
        draw_neuron: what a reader without a kernel sees."""
        gate, w1, w2, b = self.values()
        figure = Figure(figsize=(6.2, 4), dpi=72)
        text = figure.add_axes((0.0, 0.0, 0.32, 1.0))
        text.axis("off")
        for row, line in enumerate([f"gate: {gate}", f"$w_1$ = {w1:g}", f"$w_2$ = {w2:g}",
                                    f"$b$ = {b:g}"]):
            text.text(0.12, 0.8 - 0.1 * row, line, fontsize=12, transform=text.transAxes)
        draw_neuron(figure.add_axes((0.4, 0.1, 0.56, 0.8)), gate, w1, w2, b)
        return png_bytes(figure)


def neuron_explorer(gate="XOR", w1=10.0, w2=10.0, b=-5.0):
    """The explorer, starting on gate with the weights (w1, w2) and bias b."""
    return NeuronExplorer(gate, w1, w2, b)
