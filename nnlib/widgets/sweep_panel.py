"""The sweep panel: sliders for hidden size, learning rate, starts and epochs, and the statistics, live."""
import numpy as np

from ..checks import check_learning_rate, check_positive_int
from ..experiments.success import PLATEAUS, plateau_counts, success_rate
from .common import png_bytes, safely
from .picture import Pictured

HIDDEN_CHOICES = (1, 2, 3, 4, 6, 8, 12, 16)
EPOCH_CHOICES = (500, 1000, 2000, 5000)
# The learning-rate slider's stops: 1-2-5 steps, so that they pass through every rate of
# notebook 04's grid (eta 0.05, 0.2, 0.5, 2, 5 on the MSE) and the original's lr 0.1.
# On the original's loss the same steps are half as big (eta on the MSE = 2 * lr).
LR_CHOICES = {"mse": (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0),
              "half_sse": (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)}

# loss -> how the learning-rate slider is named: in titles, on the slider, in the picture
LR_NAMES = {"half_sse": ("lr", "learning rate", "learning rate"),
            "mse": ("η =", "learning rate η", "η (on the MSE)")}


# The plateaus of nnlib.experiments.success, each in its own style so that the
# three lines, close together on a log axis, can be told apart.
PLATEAU_STYLES = (("1/8", "tab:purple", "--"), ("1/6", "tab:orange", "-."),
                  ("1/4", "black", ":"))


def draw_final_errors(ax, runs, title=None):
    """Histogram of final MSE (log scale), learned runs in green, failures in red,
    the plateau values 1/8, 1/6, 1/4 as labelled lines of three styles."""
    ax.clear()
    finals = np.array([run.final_mse for run in runs if not run.diverged])
    bins = np.logspace(-4, 0, 41)
    learned = np.array([run.learned for run in runs if not run.diverged], dtype=bool)
    ax.hist([np.clip(finals[learned], 1e-4, 1), np.clip(finals[~learned], 1e-4, 1)],
            bins=bins, stacked=True, color=["tab:green", "tab:red"],
            label=["learned", "failed"])
    for value, (name, colour, style) in zip(PLATEAUS.values(), PLATEAU_STYLES):
        ax.axvline(value, color=colour, linestyle=style, linewidth=1.2,
                   label=f"MSE {name}")
    ax.set_xscale("log")
    ax.set_xlabel("final mean squared error")
    ax.set_ylabel("number of starts")
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title)


class SweepPanel(Pictured):
    """Sliders for hidden size, learning rate, starts and epochs; the statistics, live.

    Every change runs a fresh sweep (seed 0, sigmoid units) and shows its success
    rate with a Wilson interval, where the failures are stuck, and a histogram of
    the final errors. loss="half_sse" (the default) trains on the original's
    loss, where the slider is the original's lr; loss="mse" trains on the MSE,
    where the slider is eta (for XOR's 4 samples, eta on the MSE = 2 * lr on the
    original's loss). For code and tests:
    .sliders (name -> widget), .summary (HTML), .picture (Image), .message
    (HTML), .runs (the last sweep's Runs), .widget (the whole panel).
    """

    def __init__(self, hidden=2, lr=0.1, starts=200, epochs=2000, seed=0, loss="half_sse"):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        check_choice(hidden, HIDDEN_CHOICES, "hidden")
        check_choice(epochs, EPOCH_CHOICES, "epochs")
        if not 20 <= check_positive_int(starts, "starts") <= 500:
            raise ValueError(f"starts must be from 20 to 500; got {starts!r}")
        if loss not in LR_NAMES:
            raise ValueError(f"loss must be one of {', '.join(LR_NAMES)}; got {loss!r}")
        # eta on the MSE is twice the original's lr: the same steps, so twice the range
        choices = LR_CHOICES[loss]
        low, high = choices[0], choices[-1]
        if not low <= check_learning_rate(lr) <= high:
            raise ValueError(f"lr must be from {low:g} to {high:g}; got {lr!r}")
        # a starting value between the stops becomes a stop of its own
        lr = float(lr)
        choices = tuple(sorted(set(choices) | {lr}))
        self.seed, self.loss = seed, loss
        self.sliders = {
            "hidden": widgets.SelectionSlider(options=HIDDEN_CHOICES, value=hidden,
                                              description="hidden units"),
            "lr": widgets.SelectionSlider(options=[(f"{v:g}", v) for v in choices], value=lr,
                                          description=LR_NAMES[loss][1]),
            "starts": widgets.IntSlider(value=starts, min=20, max=500, step=20,
                                        description="random starts"),
            "epochs": widgets.SelectionSlider(options=EPOCH_CHOICES, value=epochs,
                                              description="epochs"),
        }
        for slider in self.sliders.values():
            slider.continuous_update = False
            slider.style = {"description_width": "initial"}
            slider.observe(lambda change: safely(self.message, self.update), names="value")
        self.summary = widgets.HTML()
        self.picture = widgets.Image(format="png")
        self.message = widgets.HTML()
        self.figure = Figure(figsize=(5.5, 3.2), dpi=80)
        self.ax = self.figure.add_axes((0.12, 0.16, 0.84, 0.72))
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox(list(self.sliders.values())), self.summary]),
            self.picture, self.message])
        self.runs = []
        safely(self.message, self.update)

    @property
    def picture_text(self):
        names = {"lr": "η"} if self.loss == "mse" else {}
        text = ", ".join(f"{names.get(k, k)} {v}" for k, v in self.settings().items())
        return f"sweep panel: {text}" + (", loss mse" if self.loss == "mse" else "")

    def png(self):
        """The panel as one PNG: its settings and summary beside its histogram, as drawn live."""
        from matplotlib.figure import Figure
        s = self.settings()
        figure = Figure(figsize=(9, 3.2), dpi=80)
        text_ax = figure.add_axes((0.01, 0.02, 0.34, 0.96))
        text_ax.axis("off")
        text_ax.text(0, 1, "\n".join(summary_lines(self.runs, s, self.loss)), va="top", fontsize=9,
                     family="monospace", transform=text_ax.transAxes)
        ax = figure.add_axes((0.43, 0.16, 0.55, 0.72))
        draw_final_errors(ax, self.runs, title=self.title())
        return png_bytes(figure)

    def title(self):
        s = self.settings()
        rate = f"{LR_NAMES[self.loss][0]} {s['lr']:.3g}"
        return f"{s['hidden']} hidden units, {rate}, {s['epochs']} epochs"

    def settings(self):
        return {name: slider.value for name, slider in self.sliders.items()}

    def update(self):
        """Run the sweep the sliders ask for, then redraw the summary and the histogram."""
        from ..experiments.sweep import sweep
        s = self.settings()
        self.runs = sweep([(s["hidden"],)], lrs=(s["lr"],), repeats=s["starts"],
                          epochs=s["epochs"], seed=self.seed, loss=self.loss,
                          keep_curves=False)
        self.summary.value = summary_html(self.runs, s)
        draw_final_errors(self.ax, self.runs, title=self.title())
        self.picture.value = png_bytes(self.figure)


def check_choice(value, choices, name):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}; got {value!r}")


def summary_html(runs, settings):
    """The success rate with its interval, and the failures by plateau, as HTML."""
    rate = success_rate(runs)
    low, high = rate.interval
    rows = "".join(f"<tr><td>{name}</td><td style='text-align: right'>{count}</td></tr>"
                   for name, count in plateau_counts(runs).items())
    diverged = sum(run.diverged for run in runs)
    return (f"<p><b>{rate.successes} of {rate.n}</b> starts learn XOR in "
            f"{settings['epochs']} epochs: <b>{rate.rate:.1%}</b><br>"
            f"95% Wilson interval: {low:.1%} to {high:.1%}</p>"
            f"<p>Where the {rate.n - rate.successes} failures are stuck:</p>"
            f"<table>{rows}</table>"
            + (f"<p style='color: #b00020'>{diverged} diverged</p>" if diverged else ""))


def summary_lines(runs, settings, loss="half_sse"):
    """The settings, the success rate with its interval and the failures by plateau, as text
    lines: what the panel's picture shows beside its histogram."""
    if not runs:
        return ["no runs yet"]
    rate = success_rate(runs)
    low, high = rate.interval
    lines = [f"hidden units   {settings['hidden']}",
             f"{LR_NAMES[loss][2]:15s}{settings['lr']:.3g}",
             f"random starts  {settings['starts']}", f"epochs         {settings['epochs']}", "",
             f"{rate.successes} of {rate.n} learn XOR: {rate.rate:.1%}",
             f"95% Wilson interval {low:.1%} to {high:.1%}", "",
             f"where the {rate.n - rate.successes} failures are stuck:"]
    lines += [f"  {name:29s}{count:4d}" for name, count in plateau_counts(runs).items()]
    return lines


def sweep_panel(hidden=2, lr=0.1, starts=200, epochs=2000, seed=0, loss="half_sse"):
    """A SweepPanel; as the last line of a notebook cell, it shows itself. With loss="mse",
    lr is eta on the MSE (the notebooks' learning rate); by default it is the original's lr
    on its half sum of squared errors."""
    return SweepPanel(hidden, lr, starts, epochs, seed, loss)
