"""Notebook 02's nudge panel: move one parameter, watch the loss, see the tangent.

    from nnlib.widgets.nudge import nudge_panel
    panel = nudge_panel(weights, biases, X, y)     # e.g. the 2-3-1 network of notebook 02

Pick a parameter in the drop-down and slide it. Every other parameter stays
where it started, so the picture is the loss 𝓛 along that one parameter: a
curve of one variable. The dot is the current value; the dashed line is the
tangent there, whose slope is the partial derivative ∂𝓛/∂p that backpropagation
(Network.gradients) computes. Picking another parameter starts again from the
starting values.

Works on ipywidgets 7.7 and 8: it uses only Dropdown, FloatSlider, Image, HTML
and VBox/HBox, and observe. The picture (draw_nudge) is the same code that
notebook 02 uses for its static picture of the panel.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..network import Network
from .common import png_bytes, safely
from .picture import Pictured

SPAN = 6.0          # the curve covers the starting value ± SPAN
POINTS = 241        # points on the curve


# ----------------------------------------------------------------------------- names

def parameter_names(network):
    """[('W1', (0, 0)), ...]: every entry of every parameter, in parameters() order."""
    names = []
    for l in range(1, network.n_layers + 1):
        for letter, array in (("W", network.weights[l - 1]), ("b", network.biases[l - 1])):
            names += [(f"{letter}{l}", index) for index in np.ndindex(array.shape)]
    return names


SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def label(name, index):
    """('W1', (0, 1)) -> 'W⁽¹⁾₁₂  (W1[0, 1])': the notebook's symbol, counting from 1, and
    the numpy entry, counting from 0."""
    letter, layer = name[0], name[1:]
    math = letter + f"({layer})".translate(SUPERSCRIPT) + \
        "".join(str(i + 1) for i in index).translate(SUBSCRIPT)
    return f"{math}  ({name}[{', '.join(str(i) for i in index)}])"


def tex_label(name, index):
    """('W1', (0, 1)) -> '$W^{(1)}_{12}$', for matplotlib."""
    return f"${name[0]}^{{({name[1:]})}}_{{{''.join(str(i + 1) for i in index)}}}$"


# ----------------------------------------------------------------------------- the numbers

def entry(network, name, index):
    """The array that holds parameter name ('W1', 'b2', ...), and the entry's index in it."""
    arrays = network.weights if name[0] == "W" else network.biases
    return arrays[int(name[1:]) - 1], index


def loss_along(network, X, y, name, index, values):
    """𝓛 with parameter name[index] set to each of values in turn (then put back)."""
    array, index = entry(network, name, index)
    start = array[index]
    losses = []
    try:
        for value in values:
            array[index] = value
            losses.append(network.loss(X, y))
    finally:
        array[index] = start
    return np.array(losses)


def slope_at(network, X, y, name, index, value):
    """(𝓛, ∂𝓛/∂p) with p = name[index] set to value: the loss and backprop's gradient."""
    array, index = entry(network, name, index)
    start = array[index]
    try:
        array[index] = value
        loss = network.loss(X, y)
        order = [f"{letter}{l}" for l in range(1, network.n_layers + 1) for letter in "Wb"]
        gradient = network.gradients(X, y)[order.index(name)][index]
    finally:
        array[index] = start
    return float(loss), float(gradient)


# ----------------------------------------------------------------------------- the picture

def curve(network, X, y, name, index, start):
    """(values, losses): 𝓛 along parameter name[index] over start ± SPAN."""
    values = np.linspace(start - SPAN, start + SPAN, POINTS)
    return values, loss_along(network, X, y, name, index, values)


def draw_nudge(ax, network, X, y, name, index, value, start, along=None):
    """Draw 𝓛 along parameter name[index] around start, the point at value, and its tangent.

    along: the (values, losses) of curve(), if already computed (the curve depends only on
    the parameter chosen, not on where the slider is).
    """
    values, losses = along if along is not None else curve(network, X, y, name, index, start)
    loss, slope = slope_at(network, X, y, name, index, value)
    symbol = tex_label(name, index)
    ax.clear()
    ax.plot(values, losses, color="tab:blue")
    half = SPAN / 3
    ts = np.array([value - half, value + half])
    ax.plot(ts, loss + slope * (ts - value), "--", color="tab:red")
    ax.plot([value], [loss], "o", color="black", zorder=3)
    ax.axvline(start, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlim(values[0], values[-1])
    low, high = losses.min(), losses.max()
    margin = 0.1 * (high - low) + 1e-3
    ax.set_ylim(low - margin, high + margin)
    ax.set_xlabel(f"{symbol} (every other parameter fixed; dotted line: its starting value)")
    ax.set_ylabel(r"loss $\mathcal{L}$ (MSE)")
    ax.set_title(rf"blue: $\mathcal{{L}}$ along {symbol}.  At {symbol} = {value:.2f}: "
                 rf"$\mathcal{{L}}$ = {loss:.4f}" "\n"
                 rf"red dashes: the tangent, slope $\partial\mathcal{{L}}/\partial${symbol}"
                 f" = {slope:.4f} (backprop)", fontsize=10)
    return loss, slope


def new_figure():
    figure = Figure(figsize=(6.4, 3.8), dpi=80)
    ax = figure.add_axes((0.12, 0.14, 0.84, 0.72))
    return figure, ax


# ----------------------------------------------------------------------------- the panel

class NudgePanel(Pictured, widgets.VBox):
    """A drop-down of parameters, a slider for the chosen one, the loss curve with its tangent.

    For code and tests: .parameter (Dropdown, value ('W2', (0, 0))), .slider (FloatSlider),
    .image (Image), .readout and .message (HTML), .loss and .slope (the latest numbers),
    .network (a copy of the given parameters; the sliders never change its starting values).
    """

    picture_text = "the nudge panel: the loss along one parameter, and its tangent"

    def __init__(self, weights, biases, X, y, start=("W2", (0, 0))):
        super().__init__()
        self.network = Network.from_parameters(weights, biases)
        self.X, self.y = X, y
        self.figure, self.ax = new_figure()
        self.loss = self.slope = self.along = None
        options = [(label(*name), name) for name in parameter_names(self.network)]
        if start not in [value for _, value in options]:
            raise ValueError(f"start must be one of the parameters' entries, such as "
                             f"('W2', (0, 0)); got {start!r}")
        self.parameter = widgets.Dropdown(options=options, value=start,
                                          description="parameter", layout={"width": "320px"})
        self.slider = widgets.FloatSlider(description="its value", step=0.05,
                                          continuous_update=False, readout_format=".2f",
                                          layout={"width": "420px"})
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self.message = widgets.HTML()
        self.children = [widgets.HBox([self.parameter, self.slider]), self.image,
                         self.readout, self.message]
        self.changing = False       # True while a new parameter resets the slider
        self.select(start)
        self.parameter.observe(lambda change: safely(self.message, self.select, change["new"]),
                               names="value")
        self.slider.observe(
            lambda change: None if self.changing else safely(self.message, self.redraw),
            names="value")

    def start_value(self, name=None):
        name, index = name or self.parameter.value
        array, index = entry(self.network, name, index)
        return float(array[index])

    def select(self, name):
        """Choose the parameter to move: the slider spans its starting value ± SPAN."""
        start = self.start_value(name)
        self.along = curve(self.network, self.X, self.y, *name, start)
        self.changing = True
        try:       # widen before narrowing, so that min <= value <= max holds at each step
            self.slider.min, self.slider.max = -1e9, 1e9
            self.slider.value = start
            self.slider.min = round(start - SPAN, 2)
            self.slider.max = round(start + SPAN, 2)
        finally:
            self.changing = False
        self.redraw()

    def redraw(self):
        name, index = self.parameter.value
        value = self.slider.value
        self.loss, self.slope = draw_nudge(self.ax, self.network, self.X, self.y, name, index,
                                           value, self.start_value(), self.along)
        self.image.value = png_bytes(self.figure)
        direction = ("decreasing it lowers 𝓛" if self.slope > 0 else
                     "increasing it lowers 𝓛" if self.slope < 0 else "𝓛 is flat here")
        self.readout.value = (
            f"<span class='nnlib-nudge'>{label(name, index)} = {value:.2f}: "
            f"𝓛 = {self.loss:.5f}, backprop's ∂𝓛/∂p = <b>{self.slope:.5f}</b> "
            f"({direction})</span>")

    def png(self):
        """The panel's picture as it is now, for nnlib.widgets.picture.show."""
        return self.image.value


def nudge_panel(weights, biases, X, y, start=("W2", (0, 0))):
    """The nudge panel for a network with these weights and biases on the data X, y."""
    return NudgePanel(weights, biases, X, y, start)
