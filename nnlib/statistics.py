"""What a sweep says: success rates with confidence intervals, and where failures get stuck.

    from nnlib.experiments import sweep
    from nnlib.statistics import success_rate, plateau_counts
    runs = sweep([3], repeats=1000, epochs=10000)
    print(success_rate(runs))            # 957 of 1000 = 95.7% (95% interval 94.3% to 96.8%)

The Wilson interval (Wilson, 1927). Out of n independent starts, k succeed;
k/n estimates the true success probability p. If p were known, k/n would
be roughly normal with mean p and variance p (1 - p) / n, so with z = 1.96

    |k/n - p| <= z sqrt(p (1 - p) / n)                 (95% of the time)

The Wilson interval is every p that passes this test: squaring gives a
quadratic in p, whose two roots are

    (k/n + z^2 / 2n  -+  z sqrt(k/n (1 - k/n) / n + z^2 / 4n^2)) / (1 + z^2 / n)

Unlike the textbook k/n -+ z sqrt(k/n (1 - k/n) / n), it never leaves
[0, 1] and does not shrink to a single point when k = 0 or k = n.

Plateaus. A network that cannot tell some of the four XOR inputs apart gives
them one output; the best single output for a group is the mean of its
targets, and the error left is what a failure gets stuck at:

    two inputs with targets 0 and 1 lumped together, output 1/2    MSE 1/8
    three inputs lumped, output 1/3 or 2/3                          MSE 1/6
    all four (or two such pairs), output 1/2 everywhere             MSE 1/4

The sweep panel at the end explores all of this live, with sliders.
"""
import html
import io
import traceback
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .checks import check_learning_rate, check_positive_int, is_integer

PLATEAUS = {
    "two inputs stuck at 1/2": 1 / 8,
    "three inputs lumped together": 1 / 6,
    "every input at 1/2": 1 / 4,
}


def z_value(confidence):
    """z with P(-z < Z < z) = confidence for a standard normal Z (1.96 for 0.95)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; got {confidence!r}")
    return NormalDist().inv_cdf((1 + confidence) / 2)


def wilson_interval(successes, n, confidence=0.95):
    """The Wilson score interval (low, high) for a success probability, from k of n."""
    n = check_positive_int(n, "n")
    if not is_integer(successes) or not 0 <= successes <= n:
        raise ValueError(f"successes must be an integer from 0 to n = {n}; got {successes!r}")
    z = z_value(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half_width = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # The interval always holds k/n; min and max only absorb rounding (k = 0 or n).
    low = max(0.0, min(p, centre - half_width))
    high = min(1.0, max(p, centre + half_width))
    return float(low), float(high)


@dataclass
class SuccessRate:
    """k of n starts succeeded: the rate k/n and its Wilson interval."""
    successes: int
    n: int
    confidence: float = 0.95

    @property
    def rate(self):
        return self.successes / self.n

    @property
    def interval(self):
        return wilson_interval(self.successes, self.n, self.confidence)

    def __str__(self):
        low, high = self.interval
        return (f"{self.successes} of {self.n} = {self.rate:.1%} "
                f"({self.confidence:.0%} interval {low:.1%} to {high:.1%})")


def success_rate(runs, confidence=0.95):
    """How many runs learned their data set, as a SuccessRate."""
    runs = list(runs)
    if not runs:
        raise ValueError("runs must hold at least one Run")
    return SuccessRate(sum(run.learned for run in runs), len(runs), confidence)


def group_by(runs, key):
    """{key(run): [runs]} in the order the keys first appear, e.g. key=lambda r: r.hidden."""
    groups = {}
    for run in runs:
        groups.setdefault(key(run), []).append(run)
    return groups


def plateau(run, tolerance=0.01):
    """Which plateau a run that failed sits on, or 'in between' if none is within tolerance."""
    if run.diverged:
        return "diverged"
    name, value = min(PLATEAUS.items(), key=lambda item: abs(item[1] - run.final_mse))
    return name if abs(value - run.final_mse) <= tolerance else "in between"


def plateau_counts(runs, tolerance=0.01):
    """{plateau name: number of failed runs there}, over the runs that did not learn."""
    counts = dict.fromkeys(list(PLATEAUS) + ["in between"], 0)
    for run in runs:
        if not run.learned:
            name = plateau(run, tolerance)
            counts[name] = counts.get(name, 0) + 1
    return counts


# ----------------------------------------------------------------------------- the panel

HIDDEN_CHOICES = (1, 2, 3, 4, 6, 8, 12, 16)
EPOCH_CHOICES = (500, 1000, 2000, 5000)


def draw_final_errors(ax, runs, title=None):
    """Histogram of final MSE (log scale), learned runs in green, failures in red,
    the plateau values 1/8, 1/6, 1/4 dashed."""
    ax.clear()
    finals = np.array([run.final_mse for run in runs if not run.diverged])
    bins = np.logspace(-4, 0, 41)
    learned = np.array([run.learned for run in runs if not run.diverged], dtype=bool)
    ax.hist([np.clip(finals[learned], 1e-4, 1), np.clip(finals[~learned], 1e-4, 1)],
            bins=bins, stacked=True, color=["tab:green", "tab:red"],
            label=["learned", "failed"])
    for name, value in PLATEAUS.items():
        ax.axvline(value, color="black", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("final mean squared error")
    ax.set_ylabel("number of starts")
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)


class SweepPanel:
    """Sliders for hidden size, learning rate, starts and epochs; the statistics, live.

    Every change runs a fresh sweep (seed 0, the original's sigmoid network and
    loss) and shows its success rate with a Wilson interval, where the failures
    are stuck, and a histogram of the final errors. For code and tests:
    .sliders (name -> widget), .summary (HTML), .picture (Image), .message
    (HTML), .runs (the last sweep's Runs), .widget (the whole panel).
    """

    def __init__(self, hidden=2, lr=0.1, starts=200, epochs=2000, seed=0):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        check_choice(hidden, HIDDEN_CHOICES, "hidden")
        check_choice(epochs, EPOCH_CHOICES, "epochs")
        if not 20 <= check_positive_int(starts, "starts") <= 500:
            raise ValueError(f"starts must be from 20 to 500; got {starts!r}")
        if not 0.01 <= check_learning_rate(lr) <= 10:
            raise ValueError(f"lr must be from 0.01 to 10; got {lr!r}")
        self.seed = seed
        self.sliders = {
            "hidden": widgets.SelectionSlider(options=HIDDEN_CHOICES, value=hidden,
                                              description="hidden units"),
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=-2, max=1, step=0.25,
                                         description="learning rate"),
            "starts": widgets.IntSlider(value=starts, min=20, max=500, step=20,
                                        description="random starts"),
            "epochs": widgets.SelectionSlider(options=EPOCH_CHOICES, value=epochs,
                                              description="epochs"),
        }
        for slider in self.sliders.values():
            slider.continuous_update = False
            slider.style = {"description_width": "initial"}
            slider.observe(lambda change: self.safely(self.update), names="value")
        self.summary = widgets.HTML()
        self.picture = widgets.Image(format="png")
        self.message = widgets.HTML()
        self.figure = Figure(figsize=(5.5, 3.2), dpi=80)
        self.ax = self.figure.add_axes((0.12, 0.16, 0.84, 0.72))
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox(list(self.sliders.values())), self.summary]),
            self.picture, self.message])
        self.runs = []
        self.safely(self.update)

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    def settings(self):
        return {name: slider.value for name, slider in self.sliders.items()}

    def update(self):
        """Run the sweep the sliders ask for, then redraw the summary and the histogram."""
        from .experiments import sweep
        s = self.settings()
        self.runs = sweep([(s["hidden"],)], lrs=(s["lr"],), repeats=s["starts"],
                          epochs=s["epochs"], seed=self.seed, keep_curves=False)
        self.summary.value = summary_html(self.runs, s)
        draw_final_errors(self.ax, self.runs,
                          title=f"{s['hidden']} hidden units, lr {s['lr']:.3g}, "
                                f"{s['epochs']} epochs")
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.picture.value = buffer.getvalue()

    def safely(self, action):
        """Run action; show an error in the panel itself, where it cannot be missed."""
        try:
            action()
        except Exception as error:
            message = html.escape(f"{type(error).__name__}: {error}")
            details = html.escape(traceback.format_exc())
            self.message.value = (f"<div style='color: #b00020'><b>Error:</b> {message}"
                                  f"<details><pre>{details}</pre></details></div>")
        else:
            self.message.value = ""


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


def sweep_panel(hidden=2, lr=0.1, starts=200, epochs=2000, seed=0):
    """A SweepPanel; as the last line of a notebook cell, it shows itself."""
    return SweepPanel(hidden, lr, starts, epochs, seed)
