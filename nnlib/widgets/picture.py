"""A static picture under every widget, for wherever a notebook is only read.

GitHub, nbviewer, an HTML export and a notebook whose kernel has not run can't
show a widget: they have no kernel to talk to. So a panel is displayed as one
output that carries two forms of itself:

    application/vnd.jupyter.widget-view+json   the live widget
    image/png                                  a picture of the panel as it was
                                               drawn, by the panel's own code

A frontend with a live kernel (JupyterLab, Voilà, VS Code, Colab) shows the
widget, its richest form, and not the picture. A reader without a kernel
shows the picture. `make notebooks` commits only the picture (the widget
view refers to a model that is gone once the kernel stops), so a notebook
opened fresh never shows "Error displaying widget".

    show(panel_widget, png_bytes)      as the last line of a cell, or in display()
"""
import base64

from IPython.display import display

from .compat import IPYWIDGETS_7

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class WidgetWithPicture:
    """A widget and a PNG of it, displayed as one output (see the module's docstring)."""

    def __init__(self, widget, png, text="a panel of widgets"):
        self.widget = widget
        self.png = png
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": self.text,
                  "image/png": base64.b64encode(self.png).decode("ascii")}
        if getattr(self.widget, "_view_name", None) is not None:
            # The same view that ipywidgets 7 and 8 both put in their own bundle.
            bundle[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0,
                                   "model_id": self.widget.model_id}
            handle_displayed = getattr(self.widget, "_handle_displayed", None)
            if handle_displayed is not None:      # ipywidgets 7 runs on_displayed callbacks
                handle_displayed()
        return bundle


def show(widget, png, text="a panel of widgets"):
    """widget, displayed live where a kernel runs and as the picture png elsewhere."""
    return WidgetWithPicture(widget, png, text)


class Pictured:
    """A panel that displays itself as its live widget and a picture of itself.

    A panel class lists this first among its bases and defines png(), the
    picture drawn by the panel's own code, and picture_text, one line saying
    what the panel is. Its widget is panel.widget if it has one, else the
    panel itself. Then a panel as the last line of a cell leaves its picture.
    """
    picture_text = "a panel of widgets"

    def static_png(self):
        """The picture a reader without a kernel sees: by default the panel as it is now."""
        return self.png()

    def _repr_mimebundle_(self, include=None, exclude=None):
        widget = getattr(self, "widget", self)
        return show(widget, self.static_png(), self.picture_text)._repr_mimebundle_(
            include, exclude)

    if IPYWIDGETS_7:
        def _ipython_display_(self, **kwargs):
            """ipywidgets 7's boxes display themselves through this hook, which IPython
            asks before _repr_mimebundle_: show the bundle, picture included, instead."""
            display(self._repr_mimebundle_(), raw=True)
