"""The playground's pictures, each made quickly enough to redraw many times a second.

    BoundaryPlot      the output over the input plane as a heatmap, with the
                      samples: PNG bytes, drawn with matplotlib's blitting
    network_svg       the network, one line per weight: thickness is |w|,
                      colour the sign (red positive, blue negative)
    loss_curve_svg    the loss against the epoch, on a log scale
    truth_table_html  every sample with its target and the network's output
    LossCurve         the loss every stride-th epoch, in bounded memory

Why not draw everything with matplotlib? A fresh figure with a 10,000-point
curve and a 200 x 200 heatmap takes about 0.1 s to render to PNG: too slow for
20 frames a second. So matplotlib draws only the heatmap, reusing one figure,
and the drawings made of lines and text are written directly as SVG, which
the browser draws.
"""
import html
import io

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

from ..plotting import BOUNDARY_CMAP, plot_points

# Red for positive weights and outputs near 1, blue for negative and near 0:
# the colours of the decision-boundary heatmap.
CMAP = colormaps[BOUNDARY_CMAP]


def signed_colours(values, scale):
    """Hex colours for values: white at 0, deepest red at +scale, blue at -scale.

    The shade grows with the square root of |value|, so that small values
    are still visible next to large ones.
    """
    relative = np.clip(np.asarray(values, dtype=float) / scale, -1.0, 1.0)
    shades = 0.5 + 0.5 * np.sign(relative) * np.sqrt(np.abs(relative))
    return [to_hex(rgba) for rgba in CMAP(np.nan_to_num(shades, nan=0.5))]


# --- The decision boundary -----------------------------------------------------

class BoundaryPlot:
    """The network's output over [lo, hi]^2 as a heatmap with the samples, as PNG bytes.

        plot = BoundaryPlot()
        plot.set_points(X, y)                       # once per data set
        values = net.forward(plot.grid).reshape(plot.resolution, plot.resolution)
        png = plot.render(values)                   # every frame

    Matplotlib's blitting keeps it fast: set_points draws the whole figure once
    and keeps the pixels of everything that does not change (axes, ticks,
    labels); render restores those pixels and draws only the heatmap and the
    samples over them. The one figure is reused for every frame, so memory
    does not grow however long the playground runs.
    """

    def __init__(self, resolution=100, size=(3.3, 2.9), dpi=96, lo=-0.5, hi=1.5):
        self.resolution = resolution
        coordinates = np.linspace(lo, hi, resolution)
        # grid[k] = (x1, x2) of point k, row by row: values[i, j] is the output
        # at x1 = coordinates[j], x2 = coordinates[i]
        self.grid = np.array(np.meshgrid(coordinates, coordinates)).reshape(2, -1).T
        self.figure = Figure(figsize=size, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_axes((0.17, 0.15, 0.66, 0.75))
        self.image = self.ax.imshow(
            np.full((resolution, resolution), 0.5), origin="lower",
            extent=(lo, hi, lo, hi), cmap=CMAP, vmin=0, vmax=1,
            interpolation="bilinear", animated=True)
        self.ax.set_xticks([0, 1])
        self.ax.set_yticks([0, 1])
        colorbar_axes = self.figure.add_axes((0.86, 0.15, 0.03, 0.75))
        colorbar = self.figure.colorbar(self.image, cax=colorbar_axes, ticks=[0, 0.5, 1])
        colorbar.ax.tick_params(labelsize=8)
        self.points = []
        self.values = self.image.get_array()
        self.background = None

    def set_points(self, X, y, title=""):
        """Show the samples (X with two columns) and redraw the fixed parts once."""
        for artist in self.points:
            artist.remove()
        plot_points(self.ax, X, y)
        self.points = list(self.ax.collections)
        for artist in self.points:
            artist.set_animated(True)
        self.ax.set_title(title, fontsize=10)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def render(self, values):
        """PNG bytes of the figure, with values (resolution x resolution) as the heatmap."""
        self.values = values
        self.image.set_data(values)
        self.canvas.restore_region(self.background)
        self.ax.draw_artist(self.image)
        for artist in self.points:
            self.ax.draw_artist(artist)
        return png_bytes(self.canvas)


def png_bytes(canvas):
    """The canvas's pixels as a PNG, compressed lightly: speed matters more than size."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# --- The network ---------------------------------------------------------------

WEIGHT_SCALE = 6.0      # |w| at which an edge reaches full width and colour


def layer_positions(layer_sizes, width, height, margin=28):
    """(x, y) of every unit, one column per layer, each column centred."""
    columns = np.linspace(margin + 10, width - margin - 10, len(layer_sizes))
    spacing = min(44.0, (height - 2 * margin) / max(layer_sizes))
    positions = []
    for x, size in zip(columns, layer_sizes):
        top = height / 2 - spacing * (size - 1) / 2
        positions.append([(x, top + spacing * k) for k in range(size)])
    return positions, spacing


def network_svg(weights, biases, input_labels, width=300, height=290):
    """The network as SVG: one line per weight, one circle per unit.

    A line's thickness grows with |w| and its colour shows the sign (red
    positive, blue negative); a unit's fill shows its bias the same way.
    Hovering over a line or a unit shows its value.
    """
    layer_sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    positions, spacing = layer_positions(layer_sizes, width, height)
    radius = min(13.0, spacing / 2 - 2)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="nnlib-network">']
    for l, W in enumerate(weights):
        widths = 0.6 + 4.4 * np.minimum(np.abs(W) / WEIGHT_SCALE, 1.0)
        colours = signed_colours(W.ravel(), WEIGHT_SCALE)
        for (i, j), colour in zip(np.ndindex(W.shape), colours):
            (x1, y1), (x2, y2) = positions[l][i], positions[l + 1][j]
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="{widths[i, j]:.2f}">'
                f'<title>w = {W[i, j]:.3f}</title></line>')
    for l, column in enumerate(positions):
        if l == 0:
            fills, tips = ["#f0f0f0"] * len(column), [""] * len(column)
        else:
            fills = signed_colours(biases[l - 1], WEIGHT_SCALE)
            tips = [f"<title>b = {b:.3f}</title>" for b in biases[l - 1]]
        for k, ((x, y), fill, tip) in enumerate(zip(column, fills, tips)):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
                         f'stroke="#333" stroke-width="1">{tip}</circle>')
            if l == 0:
                parts.append(_text(x - radius - 4, y + 4, input_labels[k], anchor="end"))
    last = positions[-1][0]
    parts.append(_text(last[0] + radius + 4, last[1] + 4, "ŷ", anchor="start"))
    names = ["input"] + [f"hidden {l}" for l in range(1, len(layer_sizes) - 1)] + ["output"]
    for column, name in zip(positions, names):
        parts.append(_text(column[0][0], height - 8, name, size=10))
    parts.append("</svg>")
    return "".join(parts)


def _text(x, y, text, anchor="middle", size=12):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-family="sans-serif" fill="#333">{html.escape(text)}</text>')


# --- The loss curve ------------------------------------------------------------

class LossCurve:
    """The loss at every stride-th epoch, in at most `capacity` points.

    A long Play would otherwise record a loss per epoch forever. When the
    record is full, every second point is dropped and the stride doubles, so
    memory stays bounded and the curve still spans all epochs.
    """

    def __init__(self, capacity=1000):
        self.capacity = capacity
        self.stride = 1
        self.epochs = np.empty(0, dtype=int)
        self.losses = np.empty(0)

    def extend(self, first_epoch, losses):
        """Add losses[k], the loss at epoch first_epoch + k, for every k."""
        epochs = first_epoch + np.arange(len(losses))
        kept = epochs % self.stride == 0
        self.epochs = np.concatenate([self.epochs, epochs[kept]])
        self.losses = np.concatenate([self.losses, np.asarray(losses)[kept]])
        while len(self.epochs) > self.capacity:
            self.stride *= 2
            kept = self.epochs % self.stride == 0
            self.epochs, self.losses = self.epochs[kept], self.losses[kept]


def loss_curve_svg(epochs, losses, last_epoch, width=300, height=170,
                   label="loss (MSE), log scale"):
    """The curve losses against epochs as SVG: epochs 0 .. last_epoch across, log scale up.

    The vertical axis spans whole decades, from 1 (or the largest loss) down
    to at least 1e-3, or further if the loss went lower.
    """
    left, right, top, bottom = 44, 10, 22, 30           # margins, in pixels
    plot_w, plot_h = width - left - right, height - top - bottom
    epochs, losses = np.asarray(epochs), np.asarray(losses, dtype=float)
    shown = np.isfinite(losses) & (losses > 0)          # what a log scale can show
    low, high = -3, 0                                   # decades: 1e-3 .. 1e0
    if shown.any():
        low = min(low, int(np.floor(np.log10(losses[shown].min()))))
        high = max(high, int(np.ceil(np.log10(losses[shown].max()))))

    def x_of(epoch):
        return left + plot_w * np.asarray(epoch) / max(last_epoch, 1)

    def y_of(loss):
        return top + plot_h * (high - np.log10(loss)) / (high - low)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="nnlib-loss-curve">',
             f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" '
             f'fill="white" stroke="#999"/>']
    for decade in range(low, high + 1, max(1, (high - low) // 4)):
        y = y_of(10.0 ** decade)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="#eee"/>')
        parts.append(_text(left - 4, y + 4, f"1e{decade}", anchor="end", size=10))
    for epoch, anchor in ((0, "start"), (last_epoch, "end")):
        parts.append(_text(x_of(epoch), top + plot_h + 13, f"{epoch:,}", anchor=anchor, size=10))
    parts.append(_text(left + plot_w / 2, height - 4, "epoch", size=10))
    parts.append(_text(left + plot_w / 2, 14, label, size=11))
    if shown.any():
        xs, ys = x_of(epochs[shown]), y_of(losses[shown])
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
        parts.append(f'<polyline points="{points}" fill="none" stroke="#b2182b" '
                     f'stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)


# --- The truth table -----------------------------------------------------------

CELL = '<td style="padding: 1px 8px; text-align: center{}">{}</td>'


def truth_table_html(X, y, outputs, input_labels):
    """Each sample's inputs, target and output, and whether the output rounds to the target.

    Styles are inline: a <style> element, replaced every frame, would make
    the browser restyle the whole page each time.
    """
    header = "".join(f"<th>{html.escape(label)}</th>" for label in input_labels)
    rows = ['<table class="nnlib-truth-table" style="border-collapse: collapse; '
            'font-family: monospace; font-size: 12px">',
            f"<tr>{header}<th>target y</th><th>output ŷ</th><th></th></tr>"]
    for inputs, target, output in zip(X, np.ravel(y), np.ravel(outputs)):
        cells = [CELL.format("", f"{value:g}") for value in inputs]
        cells += [CELL.format("", f"{target:g}"), CELL.format("", f"{output:.3f}")]
        if (output >= 0.5) == (target >= 0.5):
            cells.append(CELL.format("; color: #1a7f37", "✓"))
        else:
            cells.append(CELL.format("; color: #c62828", "✗"))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    rows.append("</table>")
    return "".join(rows)
