"""The live playground: move a slider and watch a network learn XOR again.

    from nnlib.playground import playground
    playground()                    # in a notebook cell: controls and views

Every change of a control (layers, units, activation, learning rate, epochs,
seed, data set) builds a new network from the seed and trains it for the
chosen number of epochs at once; Play then carries on training, a few epochs
per frame, and Step trains one frame's worth. Reset goes back to epoch 0.

How it stays live:

- Training uses FastTrainer (nnlib.fast.trainer), which does nnlib.train's
  arithmetic in a third of the time; the pictures are redrawn in place
  (views.py). Together, about 0.13 s for 10,000 epochs of the
  default network, pictures included.
- A dragged slider does not queue up stale retrains. The browser's side of
  ipywidgets sends a control's new value only once the kernel has finished
  with the previous one, and meanwhile keeps just the latest value (its
  message throttle). So while one retrain runs, any number of slider moves
  wait as one message, with the last value: the last value wins.
- Play is an ipywidgets Play widget ticking in the browser, 25 times a
  second. Each tick asks for a frame (epochs_per_frame epochs and a
  redraw), drawn just after the tick's callback returns, so that the browser
  can send the next tick meanwhile. Ticks that come while the kernel is busy
  add up to one larger frame: a slow kernel or browser gets fewer frames,
  never a backlog of them.
- Anything that goes wrong in a callback is shown in the playground itself,
  not only in the log.
"""
import asyncio
import html
import threading
import traceback
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np

from .. import datasets
from ..fast.trainer import FastTrainer
from ..losses import mse
from ..network import Network
from .compat import widget_mimebundle
from .views import (BoundaryPlot, LossCurve, loss_curve_svg, network_svg,
                               truth_table_html)

DATASETS = {"XOR": "xor", "AND": "and", "OR": "or", "NAND": "nand", "parity-3": "parity3"}
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
FRAME_INTERVAL_MS = 40          # Play asks for a frame every 40 ms: 25 frames a second
MAX_FRAMES_PER_TICK = 25        # ticks that piled up train at most a second's frames

DEFAULTS = dict(dataset="xor", hidden_layers=1, units=4, activation="sigmoid", lr=1.0,
                epochs=10000, seed=0, epochs_per_frame=20)


class Playground:
    """Controls, views and the network they show; display it in a notebook cell.

    Settings (all optional) are the controls' starting values: dataset ('xor',
    'and', 'or', 'nand' or 'parity3'), hidden_layers, units, activation
    ('sigmoid', 'tanh' or 'relu', for the hidden layers; the output unit is
    always a sigmoid, so that the output reads as "how sure it is of 1"), lr,
    epochs (trained after every change), seed, epochs_per_frame (for Play).

    The loss trained is the mean squared error, as in notebook 03.
    """

    def __init__(self, **settings):
        unknown = set(settings) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; "
                            f"the settings are {list(DEFAULTS)}")
        settings = {**DEFAULTS, **settings}
        self.controls = make_controls(settings)
        self.views = make_views()
        # Play's clock: ticks in the browser while playing; hidden, the Play button drives it
        self.clock = widgets.Play(value=0, min=0, max=2**31 - 1, interval=FRAME_INTERVAL_MS,
                                  layout=widgets.Layout(display="none"))
        self.boundary_plot = BoundaryPlot()
        self.widget = self._layout()
        self.builds = 0             # how many networks were built: tests count them
        self.renders = 0
        self._pending = None
        self._pending_lock = threading.Lock()
        self._update_lock = threading.Lock()
        self._shown_points = None
        self._connect()
        self._request(build="trained")

    def _repr_mimebundle_(self, **kwargs):
        return widget_mimebundle(self.widget, **kwargs)

    def close(self):
        """Close every widget of the playground, which removes it from the page and
        lets Python free it (ipywidgets keeps every open widget alive)."""
        def close_tree(widget):
            for child in getattr(widget, "children", ()):
                close_tree(child)
            for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
                if part is not None:
                    part.close()
            widget.close()
        close_tree(self.widget)

    # --- What the views show -------------------------------------------------

    @property
    def epoch(self):
        """How many updates the current network has had."""
        return self.trainer.epoch

    def settings(self):
        """The controls' current values, as the keyword arguments Playground takes."""
        c = self.controls
        return dict(dataset=c.dataset.value, hidden_layers=c.hidden_layers.value,
                    units=c.units.value, activation=c.activation.value, lr=c.lr.value,
                    epochs=c.epochs.value, seed=c.seed.value,
                    epochs_per_frame=c.epochs_per_frame.value)

    # --- Callbacks: each notes what it wants, then asks for an update ----------

    def _connect(self):
        c = self.controls
        for control in (c.dataset, c.hidden_layers, c.units, c.activation, c.lr, c.epochs, c.seed):
            control.observe(self._on_setting, names="value")
        c.slice.observe(self._on_redraw, names="value")
        c.play.observe(self._on_play, names="value")
        c.step.on_click(self._on_step)
        c.reset.on_click(self._on_reset)
        self.clock.observe(self._on_tick, names="value")

    def _on_setting(self, change):
        self._request(build="trained")

    def _on_redraw(self, change):
        self._request()

    def _on_play(self, change):
        self.controls.play.description = "Pause" if change.new else "Play"
        self.controls.play.icon = "pause" if change.new else "play"
        self.clock.playing = change.new

    def _on_tick(self, change):
        """A tick of Play's clock: one more frame, drawn once the kernel is free.

        Drawing later, not in this callback, lets the kernel tell the browser
        at once that it is ready for the next tick; the browser then sends it
        while this frame is drawn, instead of after. While the kernel is busy,
        ticks that arrive add their frames to the one pending update.
        """
        if not self.controls.play.value:
            return
        with self._pending_lock:
            already_pending = self._pending is not None
        self._note(frames=min(max(1, change.new - change.old), MAX_FRAMES_PER_TICK))
        if already_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:                # no event loop (a script, a test): draw now
            self.update()
        else:
            loop.call_soon(self.update)

    def _on_step(self, button):
        self._request(frames=1)

    def _on_reset(self, button):
        self.controls.play.value = False
        self._request(build="untrained")

    def _request(self, build=None, frames=0):
        """Note what is wanted, then update."""
        self._note(build, frames)
        self.update()

    def _note(self, build=None, frames=0):
        """Note what the next update must do; every update also redraws.

        build is 'trained' (a new network, trained for the chosen epochs) or
        'untrained' (a new network at epoch 0), and a later request replaces
        an earlier one; frames adds frames of training.
        """
        with self._pending_lock:
            if self._pending is None:
                self._pending = SimpleNamespace(build=None, frames=0)
            if build is not None:
                self._pending.build = build
                self._pending.frames = 0
            self._pending.frames += frames

    # --- The update: train, then redraw -------------------------------------

    def update(self):
        """Do everything that was asked for, then redraw; one update at a time.

        JupyterLab may deliver widget messages on a second kernel thread (a
        "subshell") while a cell runs on the main one, so two callbacks can
        run at once. Only one of them updates; a request that arrives
        meanwhile, from any thread or from a callback the update itself
        triggered, is picked up by the running update before it returns.
        """
        if not self._update_lock.acquire(blocking=False):
            return                          # the running update will see our request
        try:
            while True:
                with self._pending_lock:
                    pending, self._pending = self._pending, None
                if pending is None:
                    break
                self._do(pending)
        finally:
            self._update_lock.release()
        with self._pending_lock:            # a request that came just before the release
            missed = self._pending is not None
        if missed:
            self.update()

    def _do(self, pending):
        """Build and train as asked, redraw, and show any error in the playground."""
        try:
            if pending.build is not None:
                self._build(trained=pending.build == "trained")
            if pending.frames:
                self._train(pending.frames * self.controls.epochs_per_frame.value)
            self._render()
            self.views.message.value = self._divergence_note()
        except Exception as error:          # shown, not raised: we are in a callback
            self.controls.play.value = False
            self.views.message.value = error_html(error)

    def _build(self, trained):
        c = self.controls
        self.X, self.y = datasets.load(c.dataset.value)
        n_inputs = self.X.shape[1]
        layer_sizes = [n_inputs] + [c.units.value] * c.hidden_layers.value + [1]
        self.net = Network(layer_sizes, activation=c.activation.value,
                           output_activation="sigmoid", loss="mse", seed=c.seed.value)
        self.trainer = FastTrainer(self.net, self.X, self.y, lr=c.lr.value)
        self.curve = LossCurve()
        self.builds += 1
        c.units.disabled = c.hidden_layers.value == 0
        c.slice.layout.display = "flex" if n_inputs == 3 else "none"
        if trained and c.epochs.value > 0:
            self._train(c.epochs.value)

    def _train(self, epochs):
        if self.trainer.diverged_at is not None:
            return
        first_epoch = self.trainer.epoch
        history = self.trainer.run(epochs)
        self.curve.extend(first_epoch, history.mse)
        if history.diverged:
            self.controls.play.value = False

    def _render(self):
        """Redraw every view from the current network.

        After a divergence the parameters may be infinite and the outputs NaN:
        the views show that, and numpy need not warn about it.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = self.net.forward(self.X)
            self.mse = mse(outputs, self.y)
            self._update_points()
            size = self.boundary_plot.resolution
            values = self.net.forward(self._grid_inputs()).reshape(size, size)
        # The counter first, the network drawing later: a page that shows the new
        # drawing shows the new counter too (the browser tests rely on that).
        self.views.counter.value = counter_html(self.epoch, self.mse, self.builds)
        self.views.boundary.value = self.boundary_plot.render(values)
        labels = self._input_labels()
        self.views.network.value = network_svg(self.net.weights, self.net.biases, labels)
        # the curve ends with the loss now, after the last update
        epochs = np.append(self.curve.epochs, self.epoch)
        losses = np.append(self.curve.losses, self.mse)
        self.views.curve.value = loss_curve_svg(epochs, losses, max(self.epoch, 1))
        self.views.table.value = truth_table_html(self.X, self.y, outputs, labels)
        self.renders += 1

    def _update_points(self):
        """Give the heatmap its samples again if the data set or the slice changed."""
        key = (self.controls.dataset.value, self._slice_value())
        if key == self._shown_points:
            return
        if self.X.shape[1] == 3:
            on_slice = self.X[:, 2] == key[1]
            title = rf"output $\hat y$ where $x_3 = {key[1]:g}$"
            self.boundary_plot.set_points(self.X[on_slice, :2], self.y[on_slice], title)
        else:
            self.boundary_plot.set_points(self.X, self.y, r"output $\hat y$")
        self._shown_points = key

    def _slice_value(self):
        return self.controls.slice.value if self.X.shape[1] == 3 else None

    def _grid_inputs(self):
        grid = self.boundary_plot.grid
        if self.X.shape[1] == 3:
            return np.column_stack([grid, np.full(len(grid), self._slice_value())])
        return grid

    def _input_labels(self):
        return ["x₁", "x₂", "x₃"][:self.X.shape[1]]

    def _divergence_note(self):
        if self.trainer.diverged_at is None:
            return ""
        return (f'<div style="color: #8a4b00; background: #fff4e0; padding: 6px">'
                f"Training diverged at epoch {self.trainer.diverged_at:,}: the loss became "
                f"NaN or infinite, and training stopped. Try a smaller learning rate."
                f"</div>")

    # --- Layout --------------------------------------------------------------

    def _layout(self):
        c, v = self.controls, self.views
        buttons = widgets.HBox([c.play, c.step, c.reset, c.epochs_per_frame, v.counter, self.clock],
                               layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        panel = widgets.VBox(
            [heading("Data"), c.dataset, c.slice,
             heading("Network"), c.hidden_layers, c.units, c.activation,
             heading("Training"), c.lr, c.epochs, c.seed],
            layout=widgets.Layout(width="320px"))
        network = widgets.VBox([heading("Network: weights and biases"), v.network])
        output = widgets.VBox([heading("Output"), v.boundary, v.curve, v.table])
        body = widgets.HBox([panel, network, output],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        return widgets.VBox([buttons, v.message, body], layout=widgets.Layout(width="100%"))


def make_controls(settings):
    """The control widgets, with their starting values from settings."""
    style = {"description_width": "100px"}
    wide = widgets.Layout(width="310px")
    return SimpleNamespace(
        dataset=widgets.Dropdown(options=list(DATASETS.items()), value=settings["dataset"],
                                 description="data set", style=style, layout=wide),
        slice=widgets.ToggleButtons(
            options=[("x₃ = 0", 0.0), ("x₃ = 1", 1.0)], value=0.0,
            description="heatmap slice", style={**style, "button_width": "96px"},
            tooltips=["show the inputs with x₃ = 0", "show the inputs with x₃ = 1"],
            layout=widgets.Layout(display="none")),
        hidden_layers=widgets.IntSlider(value=settings["hidden_layers"], min=0, max=4,
                                        description="hidden layers", style=style, layout=wide),
        units=widgets.IntSlider(value=settings["units"], min=1, max=8,
                                description="units per layer", style=style, layout=wide),
        activation=widgets.Dropdown(options=["sigmoid", "tanh", "relu"],
                                    value=settings["activation"], description="activation",
                                    style=style, layout=wide),
        lr=widgets.FloatLogSlider(value=settings["lr"], base=10, min=-3, max=1, step=0.1,
                                  readout_format=".3g", description="learning rate",
                                  style=style, layout=wide),
        epochs=widgets.IntSlider(value=settings["epochs"], min=0, max=20000, step=500,
                                 description="epochs", style=style, layout=wide),
        seed=widgets.IntSlider(value=settings["seed"], min=0, max=99, description="seed",
                               style=style, layout=wide),
        epochs_per_frame=widgets.SelectionSlider(
            options=list(SPEEDS), value=settings["epochs_per_frame"], description="epochs/frame",
            style={"description_width": "90px"}, layout=widgets.Layout(width="260px")),
        play=widgets.ToggleButton(value=False, description="Play", icon="play",
                                  button_style="success",
                                  tooltip="train on, a few epochs per frame",
                                  layout=widgets.Layout(width="90px")),
        step=widgets.Button(description="Step", icon="step-forward",
                            tooltip="train one frame's epochs",
                            layout=widgets.Layout(width="80px")),
        reset=widgets.Button(description="Reset", icon="undo",
                             tooltip="a new network from the seed, at epoch 0",
                             layout=widgets.Layout(width="80px")),
    )


def make_views():
    """The widgets that show pictures and numbers; update fills them."""
    return SimpleNamespace(
        counter=widgets.HTML(layout=widgets.Layout(margin="0 0 0 16px")),
        message=widgets.HTML(),
        network=widgets.HTML(),
        boundary=widgets.Image(format="png"),
        curve=widgets.HTML(),
        table=widgets.HTML(),
    )


def heading(text):
    return widgets.HTML(f"<b>{html.escape(text)}</b>")


def counter_html(epoch, mse, builds=0):
    """The epoch counter and the loss; data-builds counts retrains, for tests in a browser."""
    return (f'<span class="nnlib-counter" data-builds="{builds}" style="font-size: 15px">'
            f'Epoch <b class="nnlib-epoch">{epoch:,}</b>'
            f'&emsp;loss (MSE) <b class="nnlib-loss">{mse:.5f}</b></span>')


def error_html(error):
    """An exception as a red box with its traceback, for the playground's message area."""
    trace = "".join(traceback.format_exception(error))
    return (f'<div class="nnlib-error" style="color: #b00020; background: #fdecea; padding: 6px">'
            f"<b>Error: {html.escape(type(error).__name__)}: {html.escape(str(error))}</b>"
            f'<pre style="font-size: 11px; white-space: pre-wrap">{html.escape(trace)}</pre></div>')


def playground(**settings):
    """Make a Playground; as the last line of a cell, it shows itself.

        playground()                                  # XOR, 1 hidden layer of 4 units
        playground(dataset="parity3", units=6, lr=2.0)
    """
    return Playground(**settings)
