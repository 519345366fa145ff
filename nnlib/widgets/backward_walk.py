"""Notebook 02's backward-pass walk-through: a 2-2-1 network on one sample, as a graph.

    from nnlib.widgets.backward_walk import backward_walk
    walk = backward_walk()            # Network([2, 2, 1], seed=0) on the sample (1, 1)

Every node shows its forward values (z and a). Each press of **Step** completes one
more layer of the backward pass, as notebook 02 derives it, and writes its gradients
into the picture in red, each labelled with its step letter: step 1 the output layer,
(a) ∂𝓛/∂a⁽²⁾, (b) δ⁽²⁾, (c) ∂𝓛/∂W⁽²⁾ and (d) ∂𝓛/∂b⁽²⁾; step 2 the hidden layer,
(e) ∂𝓛/∂a⁽¹⁾, (f) δ⁽¹⁾ and (g) ∂𝓛/∂W⁽¹⁾, ∂𝓛/∂b⁽¹⁾. It is micrograd's draw_dot,
stepping through the backward pass one layer at a time.

One sample x (a row, shape (1, 2)) and its target y (shape (1, 1)). With one sample,
a subscript numbers the unit: x₁, z⁽¹⁾₂, y₁. The loss is 𝓛 = (a⁽²⁾₁ − y₁)². Every
gradient shown is nnlib's own (Network.gradients), and the steps between are the
formulas of notebook 02.

Works on ipywidgets 7.7 and 8: Dropdown, IntSlider, Button, Image, HTML, VBox/HBox,
observe and on_click only. draw_walk is the drawing code of both the live panel
and its static picture.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .. import datasets
from ..network import Network
from .common import png_bytes, safely
from .picture import Pictured

# The steps of the walk: the forward pass, then one layer of the backward pass per step.
STEPS = [
    "the forward pass: every node's $z$ and $a$",
    r"the output layer, (a)$-$(d): $\partial\mathcal{L}/\partial a^{(2)}$, $\delta^{(2)}$, "
    r"$\partial\mathcal{L}/\partial W^{(2)}$, $\partial\mathcal{L}/\partial b^{(2)}$",
    r"the hidden layer, (e)$-$(g): $\partial\mathcal{L}/\partial a^{(1)}$, $\delta^{(1)}$, "
    r"$\partial\mathcal{L}/\partial W^{(1)}$, $\partial\mathcal{L}/\partial b^{(1)}$",
]
LAST = len(STEPS) - 1
OUTPUT_LAYER, HIDDEN_LAYER = 1, 2      # the step at which each layer's gradients appear

# Where each node sits: inputs, hidden units, output unit, loss.
COLUMN = {0: 0.0, 1: 3.9, 2: 7.9, "loss": 10.4}
ROW = [1.3, -1.3]          # the two units of layers 0 and 1
BOX = 1.35                  # every box is as tall as four lines, so nothing moves
NEW, OLD, FORWARD = "#d62728", "#8c1a1a", "black"


def fmt(value):
    """Three significant digits, trailing zeros kept (0.210 next to 0.209); whole numbers as such."""
    if float(value) == round(float(value)) and abs(value) < 1000:
        return f"{value:.0f}"
    return f"{value:#.3g}"


# ----------------------------------------------------------------------------- the numbers

def backward_values(network, x, y):
    """Every forward value and every gradient of the walk, as a dict of arrays.

    The intermediate steps are notebook 02's formulas for sigmoid layers and 𝓛 = (a⁽²⁾ − y)²;
    the parameter gradients are nnlib's own.
    """
    a0, a1, a2 = network.forward_trace(x)
    (W1, W2), (b1, b2) = network.weights, network.biases
    dloss_da2 = 2 * (a2 - y) / y.size                # (a)
    delta2 = dloss_da2 * a2 * (1 - a2)               # (b)
    dloss_da1 = delta2 @ W2.T                        # (e)
    delta1 = dloss_da1 * a1 * (1 - a1)               # (f)
    dW1, db1, dW2, db2 = network.gradients(x, y)  # (g) and (c, d)
    return dict(x=a0, z1=a0 @ W1 + b1, a1=a1, z2=a1 @ W2 + b2, a2=a2, y=y,
                loss=float(network.loss(x, y)), W1=W1, b1=b1, W2=W2, b2=b2,
                dloss_da2=dloss_da2, delta2=delta2, dW2=dW2, db2=db2,
                dloss_da1=dloss_da1, delta1=delta1, dW1=dW1, db1=db1)


# ----------------------------------------------------------------------------- the picture

def node(ax, x, y, lines, width=2.0, height=BOX):
    """A rounded box at (x, y) with lines of (text, colour), top to bottom."""
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.05", fc="whitesmoke", ec="black",
                                zorder=2))
    for i, (text, colour) in enumerate(lines):
        ax.text(x, y + height / 2 - 0.22 - 0.3 * i, text, ha="center", va="center",
                fontsize=9, color=colour, zorder=3,
                fontweight="bold" if colour == NEW else "normal")


def colour(step, shown_at):
    return NEW if step == shown_at else OLD


def edge(ax, start, end, lines, t=0.5):
    """A line from start to end, labelled at fraction t of the way with lines of (text, colour)."""
    (x0, y0), (x1, y1) = start, end
    ax.plot([x0, x1], [y0, y1], color="grey", linewidth=1, zorder=1)
    lx, ly = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
    for i, (text, col) in enumerate(lines):
        ax.text(lx, ly + 0.12 - 0.24 * i, text, ha="center", va="center", fontsize=8.5,
                color=col, zorder=3, fontweight="bold" if col == NEW else "normal",
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9))


def draw_walk(ax, values, step):
    """Draw the 2-2-1 network on one sample with its forward values and the gradients of
    the first `step` steps of the backward pass (0: none, LAST: all)."""
    v = values
    ax.clear()
    ax.set_xlim(-0.8, 11.3)
    ax.set_ylim(-2.55, 2.45)
    ax.axis("off")
    position = {(0, k): (COLUMN[0], ROW[k]) for k in range(2)}
    position.update({(1, j): (COLUMN[1], ROW[j]) for j in range(2)})
    position[2, 0] = (COLUMN[2], 0.0)
    position["loss"] = (COLUMN["loss"], 0.0)

    # edges first, so that the boxes cover their ends
    for l, W, dW, shown_at, letter in ((1, v["W1"], v["dW1"], HIDDEN_LAYER, "g"),
                                       (2, v["W2"], v["dW2"], OUTPUT_LAYER, "c")):
        for k, j in np.ndindex(W.shape):
            t = 0.5 if l == 2 or k == j else 0.3      # keep crossing lines' labels apart
            lines = [(f"$W^{{({l})}}_{{{k + 1}{j + 1}}}$ = {fmt(W[k, j])}", FORWARD)]
            if step >= shown_at:
                lines.append((rf"({letter}) $\partial\mathcal{{L}}/\partial W$ = "
                              f"{fmt(dW[k, j])}", colour(step, shown_at)))
            edge(ax, position[l - 1, k], position[l, j], lines, t)
    edge(ax, position[2, 0], position["loss"], [])

    for k in range(2):
        node(ax, *position[0, k], [(f"$x_{k + 1}$ = {fmt(v['x'][0, k])}", FORWARD)], width=1.3,
             height=0.5)
    # (layer, units, the step that shows its gradients, the letters of its four lines)
    for l, count, shown_at, letters in ((1, 2, HIDDEN_LAYER, "efg"),
                                        (2, 1, OUTPUT_LAYER, "abd")):
        for j in range(count):
            lines = [(f"$z^{{({l})}}_{{{j + 1}}}$ = {fmt(v[f'z{l}'][0, j])}", FORWARD),
                     (f"$a^{{({l})}}_{{{j + 1}}}$ = {fmt(v[f'a{l}'][0, j])}", FORWARD)]
            if step >= shown_at:
                lines.append((rf"({letters[0]}) $\partial\mathcal{{L}}/\partial a$ = "
                              f"{fmt(v[f'dloss_da{l}'][0, j])}", colour(step, shown_at)))
                lines.append((rf"({letters[1]}) $\delta$ = {fmt(v[f'delta{l}'][0, j])}",
                              colour(step, shown_at)))
            x, y = position[l, j]
            node(ax, x, y, lines, width=2.2)
            bias = [(f"$b^{{({l})}}_{{{j + 1}}}$ = {fmt(v[f'b{l}'][j])}", FORWARD)]
            if step >= shown_at:
                bias.append((rf"({letters[2]}) $\partial\mathcal{{L}}/\partial b$ = "
                             f"{fmt(v[f'db{l}'][j])}", colour(step, shown_at)))
            for i, (text, col) in enumerate(bias):
                ax.text(x, y - BOX / 2 - 0.22 - 0.24 * i, text, ha="center",
                        va="center", fontsize=8.5, color=col,
                        fontweight="bold" if col == NEW else "normal")
    node(ax, *position["loss"], [(rf"$\mathcal{{L}}$ = {fmt(v['loss'])}", FORWARD),
                                 (f"$y_1$ = {fmt(v['y'][0, 0])}", FORWARD)], width=1.5,
         height=0.75)
    for l, title in ((0, "inputs (layer 0)"), (1, "hidden layer 1"), (2, "output layer 2"),
                     ("loss", "loss")):
        ax.text(COLUMN[l], 2.25, title, ha="center", fontsize=9, style="italic")
    ax.set_title(f"step {step} of {LAST}: " + STEPS[step], fontsize=10, loc="left")


def new_figure():
    figure = Figure(figsize=(9.0, 4.8), dpi=80)
    ax = figure.add_axes((0.01, 0.0, 0.98, 0.93))
    return figure, ax


def formula_lines(values):
    """Every step's formula with its numbers, as mathtext: what the live panel writes
    under the graph, for the static picture (where no HTML line follows the image)."""
    v = values
    a2, y, delta2 = v["a2"][0, 0], v["y"][0, 0], v["delta2"][0, 0]
    a1, x, delta1 = v["a1"][0, 0], v["x"][0, 0], v["delta1"][0, 0]
    d = r"\partial\mathcal{L}/\partial "
    return [
        rf"(a) ${d}a^{{(2)}}_1 = 2\,(a^{{(2)}}_1 - y_1) = 2 \times ({fmt(a2)} - {fmt(y)})"
        rf" = {fmt(v['dloss_da2'][0, 0])}$",
        rf"(b) $\delta^{{(2)}}_1 = {d}a^{{(2)}}_1 \cdot a^{{(2)}}_1(1 - a^{{(2)}}_1) = "
        rf"{fmt(v['dloss_da2'][0, 0])} \times {fmt(a2 * (1 - a2))} = {fmt(delta2)}$",
        rf"(c) ${d}W^{{(2)}}_{{k1}} = a^{{(1)}}_k\,\delta^{{(2)}}_1$, e.g. "
        rf"${d}W^{{(2)}}_{{11}} = {fmt(a1)} \times {fmt(delta2)} = {fmt(v['dW2'][0, 0])}$;"
        rf"   (d) ${d}b^{{(2)}}_1 = \delta^{{(2)}}_1 = {fmt(v['db2'][0])}$",
        rf"(e) ${d}a^{{(1)}}_j = \delta^{{(2)}}_1 W^{{(2)}}_{{j1}}$, e.g. "
        rf"${d}a^{{(1)}}_1 = {fmt(delta2)} \times {fmt(v['W2'][0, 0])} = "
        rf"{fmt(v['dloss_da1'][0, 0])}$",
        rf"(f) $\delta^{{(1)}}_j = {d}a^{{(1)}}_j \cdot a^{{(1)}}_j(1 - a^{{(1)}}_j)$, e.g. "
        rf"$\delta^{{(1)}}_1 = {fmt(v['dloss_da1'][0, 0])} \times {fmt(a1 * (1 - a1))} = "
        rf"{fmt(delta1)}$",
        rf"(g) ${d}W^{{(1)}}_{{kj}} = x_k\,\delta^{{(1)}}_j$ and ${d}b^{{(1)}}_j = "
        rf"\delta^{{(1)}}_j$, e.g. ${d}W^{{(1)}}_{{11}} = {fmt(x)} \times {fmt(delta1)} = "
        rf"{fmt(v['dW1'][0, 0])}$",
    ]


def static_figure(values):
    """The finished walk with its formula lines under the graph: the static picture."""
    lines = formula_lines(values)
    line_height = 0.3                                   # inches
    height = 4.8 + line_height * (len(lines) + 0.5)
    figure = Figure(figsize=(9.0, height), dpi=80)
    ax = figure.add_axes((0.01, (height - 4.8) / height, 0.98, 0.93 * 4.8 / height))
    draw_walk(ax, values, LAST)
    for i, text in enumerate(lines):
        figure.text(0.02, (line_height * (len(lines) - i)) / height, text, fontsize=10,
                    va="center", color=OLD)
    return figure


def explanation_html(values, step):
    """The step's formulas with their numbers, one line per letter, for under the picture."""
    v = values
    a2, y, delta2 = v["a2"][0, 0], v["y"][0, 0], v["delta2"][0, 0]
    a1, x, delta1 = v["a1"][0, 0], v["x"][0, 0], v["delta1"][0, 0]
    lines = {
        0: [f"Forward pass done: 𝓛 = (a⁽²⁾₁ − y₁)² = ({fmt(a2)} − {fmt(y)})² = "
            f"{fmt(v['loss'])}. Press <b>Step</b> to walk backwards, one layer per step."],
        1: ["<b>Step 1, the output layer</b> (section 4's (a) to (d)):",
            f"(a) ∂𝓛/∂a⁽²⁾₁ = 2 (a⁽²⁾₁ − y₁) = 2 × ({fmt(a2)} − {fmt(y)}) = "
            f"{fmt(v['dloss_da2'][0, 0])}",
            f"(b) δ⁽²⁾₁ = ∂𝓛/∂a⁽²⁾₁ · a⁽²⁾₁(1 − a⁽²⁾₁) = {fmt(v['dloss_da2'][0, 0])} × "
            f"{fmt(a2 * (1 - a2))} = {fmt(delta2)}",
            f"(c) ∂𝓛/∂W⁽²⁾ₖ₁ = a⁽¹⁾ₖ δ⁽²⁾₁, e.g. ∂𝓛/∂W⁽²⁾₁₁ = {fmt(a1)} × {fmt(delta2)} = "
            f"{fmt(v['dW2'][0, 0])}",
            f"(d) ∂𝓛/∂b⁽²⁾₁ = δ⁽²⁾₁ = {fmt(v['db2'][0])}"],
        2: ["<b>Step 2, the hidden layer</b> (section 5's (e) to (g)):",
            f"(e) ∂𝓛/∂a⁽¹⁾ⱼ = δ⁽²⁾₁ W⁽²⁾ⱼ₁: the error flows back along the weights, e.g. "
            f"∂𝓛/∂a⁽¹⁾₁ = {fmt(delta2)} × {fmt(v['W2'][0, 0])} = {fmt(v['dloss_da1'][0, 0])}",
            f"(f) δ⁽¹⁾ⱼ = ∂𝓛/∂a⁽¹⁾ⱼ · a⁽¹⁾ⱼ(1 − a⁽¹⁾ⱼ), e.g. δ⁽¹⁾₁ = "
            f"{fmt(v['dloss_da1'][0, 0])} × {fmt(a1 * (1 - a1))} = {fmt(delta1)}",
            f"(g) ∂𝓛/∂W⁽¹⁾ₖⱼ = xₖ δ⁽¹⁾ⱼ and ∂𝓛/∂b⁽¹⁾ⱼ = δ⁽¹⁾ⱼ, e.g. ∂𝓛/∂W⁽¹⁾₁₁ = "
            f"{fmt(x)} × {fmt(delta1)} = {fmt(v['dW1'][0, 0])}. "
            f"Done: every parameter has its gradient."],
    }
    return f"<span class='nnlib-walk-step' data-step='{step}'>{'<br>'.join(lines[step])}</span>"


# ----------------------------------------------------------------------------- the panel

class BackwardWalk(Pictured, widgets.VBox):
    """A sample picker, a step slider with Step and Reset buttons, the graph, the step's formula.

    For code and tests: .sample (Dropdown of row indices of X), .step (IntSlider 0..LAST),
    .step_button and .reset_button, .image (Image), .explanation and .message (HTML),
    .values (backward_values of the current sample), .network.
    """

    picture_text = "the backward pass of a 2-2-1 network, step by step"

    def __init__(self, network, X, y, sample=3):
        super().__init__()
        if network.layer_sizes != [2, 2, 1]:
            raise ValueError(f"network must have layer sizes [2, 2, 1]; got {network.layer_sizes}")
        self.network, self.X, self.y = network, np.asarray(X, float), np.asarray(y, float)
        if not 0 <= int(sample) < len(self.X):
            raise ValueError(f"sample must be a row index of X, 0 to {len(self.X) - 1}; "
                             f"got {sample!r}")
        self.figure, self.ax = new_figure()
        options = [(f"x = ({row[0]:g}, {row[1]:g}), y = {target[0]:g}", i)
                   for i, (row, target) in enumerate(zip(self.X, self.y))]
        self.sample = widgets.Dropdown(options=options, value=int(sample), description="sample")
        self.step = widgets.IntSlider(value=0, min=0, max=LAST, description="step")
        self.step_button = widgets.Button(description="Step",
                                          tooltip="one more layer of the backward pass")
        self.reset_button = widgets.Button(description="Reset", tooltip="back to the forward pass")
        self.image = widgets.Image(format="png")
        self.explanation = widgets.HTML()
        self.message = widgets.HTML()
        self.children = [widgets.HBox([self.sample, self.step, self.step_button,
                                       self.reset_button]),
                         self.image, self.explanation, self.message]
        self.values = None
        self.sample.observe(lambda change: safely(self.message, self.redraw), names="value")
        self.step.observe(lambda change: safely(self.message, self.redraw), names="value")
        # The buttons only move the slider; its observer redraws, safely.
        self.step_button.on_click(lambda _: self.forward_one())
        self.reset_button.on_click(lambda _: self.reset())
        self.redraw()

    def forward_one(self):
        """One more layer of the backward pass (the slider's observer redraws)."""
        self.step.value = min(self.step.value + 1, LAST)

    def reset(self):
        self.step.value = 0

    def redraw(self):
        i = self.sample.value
        self.values = backward_values(self.network, self.X[i:i + 1], self.y[i:i + 1])
        self.image.value = self.png(self.step.value)
        self.explanation.value = explanation_html(self.values, self.step.value)

    def static_png(self):
        """The picture without a kernel: every step done, all the gradients shown, and under
        the graph the formula lines that the live panel writes in HTML."""
        return png_bytes(static_figure(self.values))

    def png(self, step=None):
        """The graph at a step (default: the slider's), drawn by the panel's own code."""
        draw_walk(self.ax, self.values, self.step.value if step is None else step)
        return png_bytes(self.figure)


def backward_walk(network=None, X=None, y=None, sample=3):
    """The walk-through for a [2, 2, 1] network (default Network([2, 2, 1], seed=0)) on XOR."""
    if network is None:
        network = Network([2, 2, 1], seed=0)
    if X is None or y is None:
        X, y = datasets.xor()
    return BackwardWalk(network, X, y, sample)
