"""What differs between ipywidgets 8 (ours) and 7.7 (Google Colab's).

A panel's display bundle is built by nnlib.widgets.picture for both versions
(7.7's boxes need one more hook there: IPYWIDGETS_7); what is left here is a
slider's tooltip, which the two versions name differently.
"""
import ipywidgets

IPYWIDGETS_7 = ipywidgets.__version__.startswith("7.")


def tooltip(text):
    """The keyword argument that gives a slider (any described widget) a tooltip.

    ipywidgets 8 calls it `tooltip`; 7.7 calls it `description_tooltip`, and would ignore
    `tooltip` (traitlets only warns about unknown arguments, and will raise one day).
    """
    from ipywidgets.widgets.widget_description import DescriptionWidget
    name = "tooltip" if DescriptionWidget.class_traits().get("tooltip") else "description_tooltip"
    return {name: text}
