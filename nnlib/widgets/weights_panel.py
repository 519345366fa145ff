"""A panel of sliders for the 9 weights of the [2, 2, 1] XOR network of notebook 01.

    from nnlib.widgets.weights_panel import weights_panel
    weights_panel()          # as the last line of a notebook cell

One slider per weight or bias, grouped by neuron. Every change copies the sliders into a
Network([2, 2, 1]) (net.weights = [W1, W2], net.biases = [b1, b2]) and redraws two views:

- the decision boundary over the plane, with each hidden neuron's line dashed;
- a truth table of the four XOR inputs: hidden activations h = a1, output y_hat = a2, ✓ or ✗,
  and how many of the 4 are right (no loss: notebook 01 comes before the loss is defined).

The picture is one matplotlib Figure per panel, redrawn into the PNG bytes of an
ipywidgets.Image: the view changes in place without flicker, and no figures pile up.
An error while updating is shown in the panel itself, in red, not only in the log.
panel.png() is a picture of the whole panel, drawn by the same code, for
nnlib.widgets.picture.show (what GitHub, nbviewer and an HTML export display).
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from .. import datasets
from ..network import Network
from ..plotting import BOUNDARY_CMAP, decision_grid, plot_decision_boundary
from .common import png_bytes, safely, truth_table_html
from .picture import Pictured
from .compat import tooltip

SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
SLIDER = dict(min=-20.0, max=20.0, step=0.5, continuous_update=False)

# Each neuron's sliders: its weights (a column of W) and its bias, as (array, index).
NEURONS = {
    "hidden neuron 1": [("W1", (0, 0)), ("W1", (1, 0)), ("b1", (0,))],
    "hidden neuron 2": [("W1", (0, 1)), ("W1", (1, 1)), ("b1", (1,))],
    "output neuron": [("W2", (0, 0)), ("W2", (1, 0)), ("b2", (0,))],
}
NEURON_COLOURS = {"hidden neuron 1": "#ff7f0e", "hidden neuron 2": "#2ca02c",
                  "output neuron": "black"}


# ----------------------------------------------------------------------------- presets

def hand_picked_xor():
    """The notebook's XOR weights: hidden neurons OR and NAND, output neuron AND."""
    W1 = np.array([[10.0, -10.0], [10.0, -10.0]])
    b1 = np.array([-5.0, 15.0])
    W2 = np.array([[10.0], [10.0]])
    b2 = np.array([-15.0])
    return W1, b1, W2, b2


def random_start(seed=0):
    """The random weights a new Network([2, 2, 1], seed=seed) starts from."""
    net = Network([2, 2, 1], seed=seed)
    (W1, W2), (b1, b2) = net.weights, net.biases
    return W1, b1, W2, b2


PRESETS = {"hand-picked XOR weights": hand_picked_xor,
           "random start (seed 0)": random_start}


# ----------------------------------------------------------------------------- labels

def code_name(name, index):
    """('W1', (0, 1)) -> 'W1[0, 1]', the numpy entry the slider sets."""
    return f"{name}[{', '.join(str(i) for i in index)}]"


def math_label(name, index):
    """('W1', (0, 1)) -> '$W^{(1)}_{12}$', the notebook's notation (counting from 1)."""
    letter, layer = name[0], name[1]
    subscript = "".join(str(i + 1) for i in index)
    return f"${letter}^{{({layer})}}_{{{subscript}}}$"


# ----------------------------------------------------------------------------- the views

def draw_hidden_lines(ax, W1, b1):
    """Dash each hidden neuron's line z = x W + b = 0, where its output crosses 0.5."""
    for j, colour in enumerate([NEURON_COLOURS["hidden neuron 1"],
                                NEURON_COLOURS["hidden neuron 2"]]):
        xs, ys, z = decision_grid(lambda grid: grid @ W1[:, j] + b1[j], resolution=50)
        if z.min() < 0 < z.max():   # otherwise the line misses the picture
            ax.contour(xs, ys, z, levels=[0], colors=colour, linestyles="--", linewidths=1.5)


def draw_boundary(ax, network, X, y, title):
    """Redraw ax: the network's output over the plane, its boundary, the hidden neurons' lines."""
    ax.clear()   # the same axes every time: old drawings are dropped, nothing piles up
    plot_decision_boundary(ax, network.forward, X, y, resolution=100, title=title)
    draw_hidden_lines(ax, network.weights[0], network.biases[0])
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])


def new_figure():
    """The panel's one figure: axes for the plane and, beside them, a colour bar for the output.

    The axes sit at fixed places (no automatic layout), which keeps each redraw cheap.
    """
    figure = Figure(figsize=(4.2, 3.6), dpi=80)
    ax = figure.add_axes((0.15, 0.13, 0.62, 0.78))
    colour_bar = figure.add_axes((0.82, 0.2, 0.035, 0.64))
    figure.colorbar(ScalarMappable(Normalize(0, 1), BOUNDARY_CMAP), cax=colour_bar,
                    label=r"network output $\hat y$")
    return figure, ax


# ----------------------------------------------------------------------------- the panel

class WeightsPanel(Pictured, widgets.VBox):
    """Sliders for W1, b1, W2, b2 of a [2, 2, 1] sigmoid network, and what the network does.

    For code and tests: .network (the Network the sliders set), .sliders (code name such as
    'W1[0, 1]' -> FloatSlider), .buttons (preset name -> Button), .boundary (the Image),
    .truth_table and .message (HTML widgets), .load(W1, b1, W2, b2) and .parameters().
    """

    picture_text = "sliders for the 9 parameters of the [2, 2, 1] network"

    def __init__(self, W1, b1, W2, b2):
        super().__init__()
        self.loading = False   # True while load() sets the sliders one by one
        self.X, self.y = datasets.xor()
        self.network = Network([2, 2, 1], activation="sigmoid", seed=0)
        self.figure, self.ax = new_figure()
        self.sliders = {}
        self.boundary = widgets.Image(format="png")
        self.truth_table = widgets.HTML()
        self.message = widgets.HTML()
        self.buttons = {name: widgets.Button(description=name, layout={"width": "auto"})
                        for name in PRESETS}
        for name, button in self.buttons.items():
            button.on_click(
                lambda _, name=name: safely(self.message, self.load_preset, name))
        self.children = [
            widgets.HBox([widgets.Label("Start from:")] + list(self.buttons.values())),
            widgets.HBox([self.slider_column(), widgets.VBox([self.boundary, self.caption()])]),
            self.truth_table,
            self.message,
        ]
        self.load(W1, b1, W2, b2)

    def slider_column(self):
        """One group of 3 sliders per neuron: its two incoming weights and its bias."""
        column = []
        for neuron, entries in NEURONS.items():
            column.append(widgets.HTML(
                f"<b style='color: {NEURON_COLOURS[neuron]}'>{neuron}</b>"))
            for name, index in entries:
                slider = widgets.FloatSlider(description=math_label(name, index),
                                             **tooltip(code_name(name, index)), **SLIDER)
                slider.observe(self.on_slider_change, names="value")
                self.sliders[code_name(name, index)] = slider
                column.append(slider)
        return widgets.VBox(column)

    @staticmethod
    def caption():
        return widgets.HTML(
            "<small>Colour: the output ŷ. Solid line: ŷ = 0.5, the boundary.<br>"
            "Dashed: where hidden neuron 1 (orange) and 2 (green) cross 0.5.</small>")

    def parameters(self):
        """W1, b1, W2, b2 as numpy arrays, read from the sliders."""
        arrays = {name: np.zeros(shape) for name, shape in SHAPES.items()}
        for entries in NEURONS.values():
            for name, index in entries:
                arrays[name][index] = self.sliders[code_name(name, index)].value
        return arrays["W1"], arrays["b1"], arrays["W2"], arrays["b2"]

    def load(self, W1, b1, W2, b2):
        """Set every slider from the four arrays, then redraw once."""
        given = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
        arrays = {name: check_parameter(name, value) for name, value in given.items()}
        self.loading = True   # one redraw at the end, not one per slider
        try:
            for entries in NEURONS.values():
                for name, index in entries:
                    self.sliders[code_name(name, index)].value = float(arrays[name][index])
        finally:
            self.loading = False
        self.redraw()

    def load_preset(self, name):
        """Set the sliders to one of the PRESETS, by name."""
        self.load(*PRESETS[name]())

    def on_slider_change(self, change):
        if not self.loading:
            safely(self.message, self.redraw)

    def redraw(self):
        """Copy the sliders into the network, then update the picture and the truth table."""
        W1, b1, W2, b2 = self.parameters()
        self.network.weights = [W1, W2]
        self.network.biases = [b1, b2]
        a0, a1, a2 = self.network.forward_trace(self.X)
        right = int(np.sum((a2 >= 0.5) == (self.y == 1)))
        # Only "right or not": notebook 01 has not met a loss yet (notebook 02 defines it).
        self.truth_table.value = (truth_table_html(self.X, self.y, a2, hidden=a1)
                                  + f"<p>{right} of 4 right</p>")
        draw_boundary(self.ax, self.network, self.X, self.y, title=f"{right} of 4 samples right")
        self.boundary.value = png_bytes(self.figure)

    def png(self):
        """A picture of the whole panel (parameters, boundary, truth table), for a reader
        without a kernel: nnlib.widgets.picture.show(panel, panel.png())."""
        return picture_png(self.network, self.X, self.y, self.parameters())


def picture_png(network, X, y, parameters):
    """The panel as one PNG: the sliders' values by neuron, the boundary drawn by
    draw_boundary (the panel's own code), and the truth table."""
    W1, b1, W2, b2 = parameters
    arrays = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    a0, a1, a2 = network.forward_trace(X)
    right = int(np.sum((a2 >= 0.5) == (y == 1)))
    figure = Figure(figsize=(9.6, 3.6), dpi=80)
    sliders = figure.add_axes((0.0, 0.0, 0.27, 1.0))
    sliders.axis("off")
    row = 0.93
    for neuron, entries in NEURONS.items():
        sliders.text(0.06, row, neuron, color=NEURON_COLOURS[neuron], fontweight="bold",
                     fontsize=10, transform=sliders.transAxes)
        row -= 0.085
        for name, index in entries:
            sliders.text(0.12, row, f"{math_label(name, index)} = {arrays[name][index]:g}",
                         fontsize=10, transform=sliders.transAxes)
            row -= 0.075
        row -= 0.03
    ax = figure.add_axes((0.31, 0.13, 0.28, 0.78))
    draw_boundary(ax, network, X, y, title=f"{right} of 4 samples right")
    table = figure.add_axes((0.63, 0.0, 0.37, 1.0))
    table.axis("off")
    header = ["x₁", "x₂", "h₁", "h₂", "ŷ", "y", ""]
    columns = [0.0, 0.1, 0.22, 0.4, 0.58, 0.78, 0.9]
    for x, text in zip(columns, header):
        table.text(x, 0.8, text, fontsize=10, fontweight="bold", transform=table.transAxes)
    for i, (x_row, h, out, target) in enumerate(zip(X, a1, a2.ravel(), y.ravel())):
        ok = (out >= 0.5) == (target == 1)
        cells = [f"{x_row[0]:.0f}", f"{x_row[1]:.0f}", f"{h[0]:.3f}", f"{h[1]:.3f}",
                 f"{out:.3f}", f"{target:.0f}", "✓" if ok else "✗"]
        for x, text in zip(columns, cells):
            table.text(x, 0.68 - 0.11 * i, text, fontsize=10, transform=table.transAxes,
                       color=("green" if ok else "red") if text in "✓✗" else "black")
    table.text(0.0, 0.16, f"{right} of 4 right", fontsize=10, transform=table.transAxes)
    return png_bytes(figure)


def check_parameter(name, value):
    """value as a float array of the shape SHAPES[name], within the sliders' range."""
    array = np.asarray(value, dtype=float)
    if array.shape != SHAPES[name]:
        raise ValueError(f"{name} must have shape {SHAPES[name]}; got {array.shape}")
    if np.any(np.abs(array) > SLIDER["max"]):
        raise ValueError(f"{name} must stay within the sliders' range "
                         f"[{SLIDER['min']:g}, {SLIDER['max']:g}]; got {array.tolist()}")
    return array


def weights_panel(W1=None, b1=None, W2=None, b2=None):
    """Sliders for the 9 parameters of a [2, 2, 1] network, with its boundary and truth table.

    Starts from the given arrays (shapes (2, 2), (2,), (2, 1), (1,)); any left out come
    from the hand-picked XOR weights.
    """
    defaults = hand_picked_xor()
    given = [W1, b1, W2, b2]
    return WeightsPanel(*[d if g is None else g for g, d in zip(given, defaults)])
