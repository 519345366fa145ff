"""The playground's pictures, each made in about a millisecond, to redraw many times a second.

    Drawing           shapes in pixels, written out as SVG for the browser, or
                      drawn by matplotlib into the static picture of the panel
    BoundaryView      the output over the input plane as a heatmap, with the
                      samples, axes and a colour bar
    network_drawing   the network, one line per weight: thickness is |w|,
                      colour the sign (red positive, blue negative)
    loss_drawing      the loss against the epoch, on a log scale
    LossCurve         the loss every stride-th epoch, in bounded memory

Why not draw with matplotlib? A fresh figure with a 10,000-point curve and a
heatmap takes about 0.1 s to render, and even redrawing only the heatmap in a
reused figure takes 6-10 ms: too slow for 30 frames a second. So each view is
a Drawing, a list of lines, circles, texts and one image, that the browser
draws from SVG; the heatmap is the one image: the network's outputs on a
grid, coloured through a lookup table with numpy and encoded as a small PNG.
The static picture under the widget (nnlib.widgets.picture) draws the same
Drawings with matplotlib, once.
"""
import base64
import html

import numpy as np
from matplotlib import colormaps

from ..plotting import BOUNDARY_CMAP
from .common import png_bytes

# Red for positive weights and outputs near 1, blue for negative and near 0:
# the colours of the decision-boundary heatmap, as a table of 256 RGB colours.
COLOURS = np.round(255 * colormaps[BOUNDARY_CMAP](np.linspace(0, 1, 256))[:, :3]).astype(np.uint8)
HEX = [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in COLOURS]
NAN_COLOUR = np.array([160, 160, 160], dtype=np.uint8)      # grey, for diverged outputs


def colour_pixels(values):
    """RGB pixels (uint8) for values in [0, 1], through the colour table; NaN is grey."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    index = np.rint(255 * np.clip(np.where(finite, values, 0.5), 0, 1)).astype(np.intp)
    pixels = COLOURS[index]
    pixels[~finite] = NAN_COLOUR
    return pixels


def signed_colours(values, scale):
    """Hex colours for values: white at 0, deepest red at +scale, blue at -scale.

    The shade grows with the square root of |value|, so that small values
    are still visible next to large ones.
    """
    relative = np.clip(np.nan_to_num(np.asarray(values, dtype=float) / scale), -1.0, 1.0)
    shades = 0.5 + 0.5 * np.sign(relative) * np.sqrt(np.abs(relative))
    return [HEX[k] for k in np.rint(255 * shades).astype(int)]


# --- Drawing: shapes in pixels, as SVG or with matplotlib ---------------------------

ANCHORS = {"start": "left", "middle": "center", "end": "right"}


class Drawing:
    """Shapes in pixel coordinates (x to the right, y down), for two painters.

        d = Drawing(300, 200, "nnlib-thing")
        d.line(0, 0, 300, 200, "#333")
        d.svg()              # for the browser: an <svg> element
        d.draw(ax)           # for a PNG: onto matplotlib axes in pixel units

    A tip (the line's or circle's value) shows when the mouse rests on it.
    """

    def __init__(self, width, height, css_class=""):
        self.width, self.height, self.css_class = width, height, css_class
        self.shapes = []

    def line(self, x1, y1, x2, y2, colour, width=1.0, tip=None):
        self.shapes.append(("line", x1, y1, x2, y2, colour, width, tip))

    def rect(self, x, y, width, height, fill="none", stroke="none"):
        self.shapes.append(("rect", x, y, width, height, fill, stroke))

    def circle(self, x, y, r, fill, stroke="#333", stroke_width=1.0, tip=None):
        self.shapes.append(("circle", x, y, r, fill, stroke, stroke_width, tip))

    def polyline(self, xs, ys, colour, width=1.5):
        self.shapes.append(("polyline", np.asarray(xs), np.asarray(ys), colour, width))

    def text(self, x, y, text, size=12, anchor="middle", colour="#333"):
        self.shapes.append(("text", x, y, text, size, anchor, colour))

    def image(self, x, y, width, height, pixels, png=None):
        """An RGB image (rows top to bottom) stretched over the box; png: its bytes, if known."""
        self.shapes.append(("image", x, y, width, height, pixels, png))

    def svg(self):
        """The drawing as an SVG element, for an HTML widget."""
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" '
                 f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" '
                 f'class="{self.css_class}">']
        for kind, *args in self.shapes:
            parts.append(getattr(self, f"_svg_{kind}")(*args))
        parts.append("</svg>")
        return "".join(parts)

    @staticmethod
    def _svg_line(x1, y1, x2, y2, colour, width, tip):
        title = f"<title>{html.escape(tip)}</title>" if tip else ""
        return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="{width:.2f}">{title}</line>')

    @staticmethod
    def _svg_rect(x, y, width, height, fill, stroke):
        return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'fill="{fill}" stroke="{stroke}"/>')

    @staticmethod
    def _svg_circle(x, y, r, fill, stroke, stroke_width, tip):
        title = f"<title>{html.escape(tip)}</title>" if tip else ""
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="{stroke_width}">{title}</circle>')

    @staticmethod
    def _svg_polyline(xs, ys, colour, width):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs.tolist(), ys.tolist()))
        return (f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}"/>')

    @staticmethod
    def _svg_text(x, y, text, size, anchor, colour):
        return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                f'font-family="sans-serif" fill="{colour}">{html.escape(text)}</text>')

    @staticmethod
    def _svg_image(x, y, width, height, pixels, png):
        data = base64.b64encode(png if png is not None else png_bytes(pixels)).decode("ascii")
        return (f'<image x="{x}" y="{y}" width="{width}" height="{height}" '
                f'preserveAspectRatio="none" href="data:image/png;base64,{data}"/>')

    def draw(self, ax, dx=0.0, dy=0.0, dpi=100):
        """Draw the shapes onto matplotlib axes whose data units are the figure's pixels
        (y down), shifted by (dx, dy). Sizes in pixels become points at this dpi."""
        from matplotlib.patches import Circle, Rectangle

        pt = 72 / dpi
        for kind, *args in self.shapes:
            if kind == "line":
                x1, y1, x2, y2, colour, width, _ = args
                ax.plot([x1 + dx, x2 + dx], [y1 + dy, y2 + dy], color=colour,
                        linewidth=width * pt, solid_capstyle="butt")
            elif kind == "rect":
                x, y, width, height, fill, stroke = args
                ax.add_patch(Rectangle((x + dx, y + dy), width, height,
                                       facecolor="none" if fill == "none" else fill,
                                       edgecolor="none" if stroke == "none" else stroke,
                                       linewidth=pt))
            elif kind == "circle":
                x, y, r, fill, stroke, stroke_width, _ = args
                ax.add_patch(Circle((x + dx, y + dy), r, facecolor=fill, edgecolor=stroke,
                                    linewidth=stroke_width * pt, zorder=3))
            elif kind == "polyline":
                xs, ys, colour, width = args
                ax.plot(xs + dx, ys + dy, color=colour, linewidth=width * pt)
            elif kind == "text":
                x, y, text, size, anchor, colour = args
                ax.text(x + dx, y + dy, text, fontsize=size * pt, ha=ANCHORS[anchor],
                        va="baseline", color=colour, family="sans-serif")
            elif kind == "image":
                x, y, width, height, pixels, _ = args
                ax.imshow(pixels, extent=(x + dx, x + dx + width, y + dy + height, y + dy),
                          interpolation="bilinear", aspect="auto")


def compose(drawings, width, height, dpi=100):
    """PNG bytes of several Drawings placed side by side: [(drawing, x, y), ...]."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    for drawing, x, y in drawings:
        drawing.draw(ax, x, y, dpi=dpi)
    ax.set_xlim(0, width)           # imshow resets the limits
    ax.set_ylim(height, 0)
    return png_bytes(figure, compress_level=6)


# --- The decision boundary -----------------------------------------------------

class BoundaryView:
    """The network's output over [lo, hi]^2 as a heatmap with the samples.

        view = BoundaryView()
        view.set_points(X, y, title)               # once per data set
        values = net.forward(view.grid).reshape(view.resolution, view.resolution)
        svg = view.render(values).svg()            # every frame

    values[i, j] is the output at x1 = coordinates[j], x2 = coordinates[i]:
    row 0 is the bottom of the picture.
    """

    def __init__(self, resolution=80, width=340, height=300, lo=-0.5, hi=1.5):
        self.resolution, self.lo, self.hi = resolution, lo, hi
        coordinates = np.linspace(lo, hi, resolution)
        self.grid = np.array(np.meshgrid(coordinates, coordinates)).reshape(2, -1).T
        self.width, self.height = width, height
        self.box = (48, 30, 230, 230)                   # x, y, width, height of the plot
        self.values = np.full((resolution, resolution), 0.5)
        self.points = (np.empty((0, 2)), np.empty(0))
        self.title = ""

    def set_points(self, X, y, title=""):
        """The samples to show (X with two columns, y their labels), and the title."""
        self.points = (np.asarray(X, dtype=float), np.ravel(y))
        self.title = title

    def to_pixels(self, x1, x2):
        """Where the point (x1, x2) of the plane is drawn."""
        left, top, width, height = self.box
        scale = (np.asarray(x1) - self.lo) / (self.hi - self.lo)
        up = (np.asarray(x2) - self.lo) / (self.hi - self.lo)
        return left + width * scale, top + height * (1 - up)

    def render(self, values):
        """The Drawing of values (resolution x resolution) with the samples, axes and colour bar."""
        self.values = values
        left, top, width, height = self.box
        d = Drawing(self.width, self.height, "nnlib-heatmap")
        d.text(left + width / 2, 18, self.title, size=13)
        d.image(left, top, width, height, colour_pixels(values)[::-1])   # row 0 at the top
        d.rect(left, top, width, height, stroke="#333")
        for tick in (0.0, 1.0):
            x, y = self.to_pixels(tick, tick)
            d.line(x, top + height, x, top + height + 5, "#333")
            d.text(x, top + height + 18, f"{tick:g}", size=11)
            d.line(left - 5, y, left, y, "#333")
            d.text(left - 8, y + 4, f"{tick:g}", size=11, anchor="end")
        d.text(left + width / 2, top + height + 34, "x₁", size=13)
        d.text(left - 26, top + height / 2 + 4, "x₂", size=13)
        X, y = self.points
        xs, ys = self.to_pixels(X[:, 0], X[:, 1])
        for x_pixel, y_pixel, label in zip(xs, ys, y):
            d.circle(x_pixel, y_pixel, 8, "black" if label >= 0.5 else "white", "black", 1.5)
        bar_x = left + width + 14
        d.image(bar_x, top, 12, height, COLOURS[::-1, None, :], png=COLOUR_BAR_PNG)
        d.rect(bar_x, top, 12, height, stroke="#333")
        for value in (0.0, 0.5, 1.0):
            y_pixel = top + height * (1 - value)
            d.line(bar_x + 12, y_pixel, bar_x + 16, y_pixel, "#333")
            d.text(bar_x + 19, y_pixel + 4, f"{value:g}", size=10, anchor="start")
        return d


COLOUR_BAR_PNG = png_bytes(COLOURS[::-1, None, :])     # 1 x 256 pixels, 1 at the top


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


def network_drawing(weights, biases, input_labels, width=320, height=300):
    """The network: one line per weight, one circle per unit.

    A line's thickness grows with |w| and its colour shows the sign (red
    positive, blue negative); a unit's fill shows its bias the same way.
    Hovering over a line or a unit shows its value.
    """
    layer_sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    positions, spacing = layer_positions(layer_sizes, width, height)
    radius = min(13.0, spacing / 2 - 2)
    d = Drawing(width, height, "nnlib-network")
    for l, W in enumerate(weights):
        widths = 0.6 + 4.4 * np.minimum(np.abs(np.nan_to_num(W)) / WEIGHT_SCALE, 1.0)
        colours = signed_colours(W.ravel(), WEIGHT_SCALE)
        for (i, j), colour in zip(np.ndindex(W.shape), colours):
            (x1, y1), (x2, y2) = positions[l][i], positions[l + 1][j]
            d.line(x1, y1, x2, y2, colour, widths[i, j], tip=f"w = {W[i, j]:.3f}")
    for l, column in enumerate(positions):
        if l == 0:
            fills, tips = ["#f0f0f0"] * len(column), [None] * len(column)
        else:
            fills = signed_colours(biases[l - 1], WEIGHT_SCALE)
            tips = [f"b = {b:.3f}" for b in biases[l - 1]]
        for k, ((x, y), fill, tip) in enumerate(zip(column, fills, tips)):
            d.circle(x, y, radius, fill, tip=tip)
            if l == 0:
                d.text(x - radius - 4, y + 4, input_labels[k], anchor="end")
    last = positions[-1][0]
    d.text(last[0] + radius + 4, last[1] + 4, "ŷ", anchor="start")
    names = ["input"] + [f"hidden {l}" for l in range(1, len(layer_sizes) - 1)] + ["output"]
    for column, name in zip(positions, names):
        d.text(column[0][0], height - 8, name, size=10)
    return d


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


def loss_drawing(epochs, losses, last_epoch, width=340, height=230,
                 label="loss (MSE), log scale"):
    """The curve losses against epochs: epochs 0 .. last_epoch across, log scale up.

    The vertical axis spans whole decades, from 1 (or the largest loss) down
    to at least 1e-3, or further if the loss went lower.
    """
    left, right, top, bottom = 48, 12, 24, 32           # margins, in pixels
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

    d = Drawing(width, height, "nnlib-loss-curve")
    d.rect(left, top, plot_w, plot_h, fill="white", stroke="#999")
    for decade in range(low, high + 1, max(1, (high - low) // 4)):
        y = y_of(10.0 ** decade)
        d.line(left, y, left + plot_w, y, "#eee")
        d.text(left - 4, y + 4, f"1e{decade}", anchor="end", size=11)
    for epoch, anchor in ((0, "start"), (last_epoch, "end")):
        d.text(x_of(epoch), top + plot_h + 14, f"{epoch:,}", anchor=anchor, size=11)
    d.text(left + plot_w / 2, height - 4, "epoch", size=11)
    d.text(left + plot_w / 2, 15, label, size=13)
    if shown.any():
        d.polyline(x_of(epochs[shown]), y_of(losses[shown]), "#b2182b", 1.5)
    return d
