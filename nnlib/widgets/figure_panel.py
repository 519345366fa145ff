"""A matplotlib picture with controls, like ipywidgets.interact, but without an Output widget.

    figure_panel(draw, gate=widgets.Dropdown(...), w1=widgets.FloatSlider(...))

draw(ax, **values) draws onto fresh axes, with the controls' values by name.
The figure goes into an Image widget as PNG, redrawn on every change, and the
panel is displayed with a static picture of itself (nnlib.widgets.picture).

Why not ipywidgets.interactive and plt.show()? interactive shows the figure in
an Output widget. When nbclient runs the notebook (the tests, `make
notebooks`, Voilà, nbconvert --execute), it plays the Output widget's part:
for every output captured while the cell runs, it sends a message to the
kernel on the shell channel, from the task that reads IOPub, while another
task waits on that same channel for the cell's reply. pyzmq's asyncio socket
can then miss the reply's arrival, about once in twenty cells, and the wait
ends only at the cell's timeout, with the reply: the cell "stalls" for the
whole timeout although the kernel answered in half a second. An Image widget
makes nbclient send nothing.
"""
import ipywidgets as widgets
from matplotlib.figure import Figure

from .common import png_bytes, safely
from .picture import show


class FigurePanel:
    """Controls beside a figure that draw(ax, **values) redraws on every change.

    For code and tests: .controls (name -> widget), .image (the Image),
    .message (HTML, shows an error), .figure, .widget (the whole panel).
    """

    def __init__(self, draw, figsize=(4.0, 4.0), dpi=80, **controls):
        if not controls:
            raise TypeError("figure_panel needs at least one control, as name=widget")
        for name, control in controls.items():
            if not isinstance(control, widgets.ValueWidget):
                raise TypeError(f"control {name!r} must be an ipywidgets value widget "
                                f"(a slider, a dropdown, ...); got {control!r}")
        self.draw, self.controls = draw, controls
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML()
        self.widget = widgets.HBox([widgets.VBox(list(controls.values())),
                                    widgets.VBox([self.image, self.message])])
        for control in controls.values():
            control.observe(lambda change: safely(self.message, self.redraw), names="value")
        safely(self.message, self.redraw)

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self):
        """Draw the figure afresh from the controls' values."""
        self.figure.clear()
        self.draw(self.figure.add_subplot(), **self.values())
        self.image.value = png_bytes(self.figure)

    def _repr_mimebundle_(self, **kwargs):
        return show(self.widget, bytes(self.image.value), text="a figure with controls")\
            ._repr_mimebundle_(**kwargs)


def figure_panel(draw, figsize=(4.0, 4.0), **controls):
    """A FigurePanel; as the last line of a notebook cell, it shows itself."""
    return FigurePanel(draw, figsize, **controls)
