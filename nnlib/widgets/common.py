"""Helpers every panel shares: errors shown in the panel, PNG bytes, the truth table.

    safely(message, action, *args)   run a callback's work; show an error in `message`
    error_html(error)                an exception as a red line, its traceback folded away
    png_bytes(picture)               a matplotlib Figure or an array of pixels as PNG bytes
    truth_table_html(X, y, outputs)  each sample's inputs, target, output and ✓ or ✗
"""
import html
import io
import traceback

import numpy as np
from PIL import Image


def safely(message, action, *args):
    """Run action(*args); return True if it worked, False if it raised.

    An exception is shown in the HTML widget `message`, where a student sees
    it (ipywidgets sends a callback's exceptions to the log console, which
    students rarely open); success clears the message.
    """
    try:
        action(*args)
    except Exception as error:          # shown, not raised: we are in a callback
        message.value = error_html(error)
        return False
    message.value = ""
    return True


def error_html(error):
    """A red line naming the error, with its traceback folded away underneath."""
    name = html.escape(f"{type(error).__name__}: {error}")
    trace = html.escape("".join(traceback.format_exception(error)))
    return (f'<div class="nnlib-error" style="color: #b00020; background: #fdecea; '
            f'padding: 6px"><b>Error:</b> {name}'
            f'<details><summary>traceback</summary>'
            f'<pre style="font-size: 11px; white-space: pre-wrap">{trace}</pre>'
            f'</details></div>')


def png_bytes(picture, compress_level=1):
    """PNG bytes of a matplotlib Figure, or of an (height, width, 3 or 4) uint8 pixel array.

    Compressed lightly by default: the bytes go to a browser on this machine
    many times a second, so speed matters more than size.
    """
    buffer = io.BytesIO()
    if hasattr(picture, "savefig"):
        picture.savefig(buffer, format="png", pil_kwargs={"compress_level": compress_level})
    else:
        Image.fromarray(np.ascontiguousarray(picture)).save(
            buffer, format="png", compress_level=compress_level)
    return buffer.getvalue()


CELL = '<td style="padding: 1px 8px; text-align: center{}">{}</td>'
HEADER = '<th style="padding: 1px 8px; text-align: center; border-bottom: 1px solid #999">{}</th>'


def truth_table_html(X, y, outputs, input_labels=None, hidden=None):
    """Each sample's inputs, hidden activations (if given), target y, output ŷ, and ✓ or ✗.

    input_labels name the input columns (x₁, x₂, ... by default); hidden is an
    (n_samples, n_units) array of hidden activations h, shown after the
    inputs. Styles are inline: a <style> element, replaced every frame, would
    make the browser restyle the whole page each time.
    """
    X, y, outputs = np.asarray(X), np.ravel(y), np.ravel(outputs)
    if input_labels is None:
        input_labels = [f"x{chr(0x2080 + k + 1)}" for k in range(X.shape[1])]
    hidden = np.empty((len(X), 0)) if hidden is None else np.asarray(hidden)
    hidden_labels = [f"h{chr(0x2080 + k + 1)}" for k in range(hidden.shape[1])]
    labels = list(input_labels) + hidden_labels + ["target y", "output ŷ", ""]
    rows = ['<table class="nnlib-truth-table" style="border-collapse: collapse; '
            'font-family: monospace; font-size: 12px">',
            "<tr>" + "".join(HEADER.format(html.escape(label)) for label in labels) + "</tr>"]
    for inputs, h, target, output in zip(X, hidden, y, outputs):
        cells = [CELL.format("", f"{value:g}") for value in inputs]
        cells += [CELL.format("", f"{value:.3f}") for value in h]
        cells += [CELL.format("", f"{target:g}"), CELL.format("", f"{output:.3f}")]
        if (output >= 0.5) == (target >= 0.5):
            cells.append(CELL.format("; color: #1a7f37", "✓"))
        else:
            cells.append(CELL.format("; color: #c62828", "✗"))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    rows.append("</table>")
    return "".join(rows)
