"""Show a widget on ipywidgets 8 (ours) and 7.7 (Google Colab's).

ipywidgets 8 widgets give their view as `_repr_mimebundle_`; ipywidgets 7.7 has no such
method (a widget displays itself in `_ipython_display_`). A panel that is shown through a
widget it holds asks `widget_mimebundle` instead, which works on both.
"""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_mimebundle(widget, **kwargs):
    """The mime bundle a notebook shows for widget: its view, and a plain-text repr."""
    if hasattr(widget, "_repr_mimebundle_"):            # ipywidgets 8
        method = widget._repr_mimebundle_                # None once the widget is closed
        return method(**kwargs) if method is not None else None
    data = {"text/plain": repr(widget)[:110]}           # ipywidgets 7: what it would display
    if widget._view_name is not None and widget._model_id is not None:
        data[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0,
                             "model_id": widget._model_id}
    return data


def tooltip(text):
    """The keyword argument that gives a slider (any described widget) a tooltip.

    ipywidgets 8 calls it `tooltip`; 7.7 calls it `description_tooltip`, and would ignore
    `tooltip` (traitlets only warns about unknown arguments, and will raise one day).
    """
    from ipywidgets.widgets.widget_description import DescriptionWidget
    name = "tooltip" if DescriptionWidget.class_traits().get("tooltip") else "description_tooltip"
    return {name: text}
