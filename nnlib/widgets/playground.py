"""The live playground: move a slider and watch a network learn XOR again.

    from nnlib.widgets.playground import playground
    playground()                    # in a notebook cell: controls and views

Every change of a control (layers, units, activation, learning rate, epochs,
seed, data set) builds a new network from the seed and trains it for the
chosen number of epochs; Play then carries on training, a few epochs per
frame, and Step trains one frame's worth. Reset goes back to epoch 0.

How it answers within a frame:

- Progressive training. A change trains FIRST_EPOCHS epochs and redraws at
  once: the picture changes within a frame. The rest of the epochs are
  trained in chunks of CHUNK_EPOCHS, each a callback on the kernel's event
  loop, redrawn every REDRAW_SECONDS and at the end. Between two chunks the
  kernel reads its messages, so a newer slider value is seen within a chunk
  and replaces the training still running. Chunks do exactly the arithmetic
  of one long run, so the end is identical, bit for bit (the tests check).
  Without an event loop (a script) a change trains all its epochs at once.
- FastTrainer (nnlib.fast.trainer) does nnlib.train's arithmetic in about
  40% of the time, and the views (views.py) are drawn as SVG by the browser,
  the heatmap a small PNG coloured with numpy: about a millisecond a frame.
  All the views are one HTML widget, so that a frame is one message to the
  browser: every message costs the page time (in JupyterLab, five messages
  a frame held Play to about 20 frames a second, where one reaches 30).
- A dragged slider does not queue up stale retrains. The browser's side of
  ipywidgets sends a control's new value only once the kernel has finished
  with the previous one, and meanwhile keeps just the latest value.
- Play is an ipywidgets Play widget ticking in the browser every
  TICK_FRAMES * FRAME_INTERVAL_MS. Each tick asks for TICK_FRAMES frames
  (a frame is epochs_per_frame epochs and a redraw): one drawn just after
  the tick's callback returns, so that the browser can send the next tick
  meanwhile, the others FRAME_INTERVAL_MS apart. Why not one tick a frame:
  every message from the browser makes the kernel report "busy", then
  "idle", and JupyterLab redraws its toolbar and tab for each report, which
  held Play to about 30 frames a second there (Voila: 39). Two frames a
  tick reach 39 in both. The browser still sets the pace: a busy page sends
  its ticks later, so frames never pile up by more than a tick's worth.
  Ticks that come while the kernel is busy add up to one larger frame. (For
  30 frames a second the server must also send each frame at once: see
  nnlib.widgets.nodelay.)
- Anything that goes wrong in a callback is shown in the playground itself,
  not only in the log.
"""
import asyncio
import html
import math
import numbers
import threading
import time
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np

from .. import datasets
from ..checks import is_integer
from ..fast.trainer import FastTrainer
from ..losses import mse
from ..network import Network
from .common import safely, truth_table_html
from .picture import Pictured
from .views import (
    BoundaryView,
    Drawing,
    LossCurve,
    compose,
    loss_drawing,
    network_drawing,
)

# The data set menu: label shown -> name in nnlib.datasets.DATASETS
DATA_SET_MENU = {"XOR": "xor", "AND": "and", "OR": "or", "NAND": "nand", "parity-3": "parity3"}
ACTIVATIONS = ("sigmoid", "tanh", "relu")
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
FRAME_INTERVAL_MS = 25          # Play draws a frame every 25 ms: up to 40 frames a second
TICK_FRAMES = 2                 # frames per tick of Play's clock in the browser
MAX_FRAMES_AT_ONCE = 50         # ticks that piled up train at most this many frames at once
FIRST_EPOCHS = 250              # trained before the first picture after a change
CHUNK_EPOCHS = 1000             # then trained per callback, about 10 ms
REDRAW_SECONDS = 0.05           # while training on, redraw at most this often

DEFAULTS = dict(dataset="xor", hidden_layers=1, units=4, activation="sigmoid", lr=1.0,
                epochs=10000, seed=0, epochs_per_frame=20)
# What each setting accepts: a tuple of choices, or an inclusive range (low, high, type)
ACCEPTED = dict(dataset=tuple(DATA_SET_MENU.values()), hidden_layers=(0, 4, int),
                units=(1, 8, int), activation=ACTIVATIONS, lr=(0.001, 10.0, float),
                epochs=(0, 20000, int), seed=(0, 99, int), epochs_per_frame=SPEEDS)


def check_setting(name, value):
    """value, if the control `name` can take it; else a TypeError or ValueError saying what it can."""
    accepted = ACCEPTED[name]
    if isinstance(accepted[-1], type):
        low, high, kind = accepted
        wanted = "an integer" if kind is int else "a number"
        right_type = (is_integer(value) if kind is int else
                      isinstance(value, numbers.Real) and not isinstance(value, bool))
        if not right_type:
            raise TypeError(f"{name} must be {wanted} from {low:g} to {high:g}; got {value!r}")
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"{name} must be {wanted} from {low:g} to {high:g}; got {value!r}")
        return kind(value)
    if not isinstance(value, (str, numbers.Number)) or isinstance(value, bool) \
            or value not in accepted:
        choices = ", ".join(repr(choice) for choice in accepted)
        raise ValueError(f"{name} must be one of {choices}; got {value!r}")
    return value


class Playground(Pictured):
    """Controls, views and the network they show; display it in a notebook cell.

    Settings (all optional) are the controls' starting values: dataset ('xor',
    'and', 'or', 'nand' or 'parity3'), hidden_layers (0 to 4), units (1 to
    8), activation ('sigmoid', 'tanh' or 'relu', for the hidden layers; the
    output unit is always a sigmoid, so that the output reads as "how sure it
    is of 1"), lr (0.001 to 10), epochs (0 to 20,000, trained after every
    change), seed (0 to 99), epochs_per_frame (for Play; one of SPEEDS).

    The loss trained is the mean squared error, as in notebook 03.
    """

    picture_text = "the XOR playground"

    def __init__(self, **settings):
        unknown = set(settings) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; "
                            f"the settings are {list(DEFAULTS)}")
        settings = {**DEFAULTS, **settings}
        settings = {name: check_setting(name, value) for name, value in settings.items()}
        self.controls = make_controls(settings)
        self.views = make_views()
        # Play's clock: ticks in the browser while playing; hidden, the Play button drives it
        self.clock = widgets.Play(value=0, min=0, max=2**31 - 1, interval=TICK_FRAMES * FRAME_INTERVAL_MS,
                                  layout=widgets.Layout(display="none"))
        self.boundary_view = BoundaryView()
        self.widget = self._layout()
        self.builds = 0             # how many networks were built: tests count them
        self.renders = 0
        self.goal = None            # the epoch that training after a change runs up to
        self._pending = None
        self._pending_lock = threading.Lock()
        self._update_lock = threading.Lock()
        self._continuation = None   # the event loop's handle of the next chunk, if one waits
        self._last_render = 0.0
        self._shown_points = None
        self._connect()
        # The first network trains in one go: the cell that shows it shows it trained.
        self._note(build="trained")
        self._pending.at_once = True
        self.update()

    def close(self):
        """Close every widget of the playground, which removes it from the page and
        lets Python free it (ipywidgets keeps every open widget alive)."""
        self._cancel_continuation()

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

    @property
    def training(self):
        """True while training after a change still runs, chunk by chunk."""
        return self.goal is not None and self.epoch < self.goal and \
            self.trainer.diverged_at is None

    def settings(self):
        """The controls' current values, as the keyword arguments Playground takes."""
        c = self.controls
        return dict(dataset=c.dataset.value, hidden_layers=c.hidden_layers.value,
                    units=c.units.value, activation=c.activation.value, lr=c.lr.value,
                    epochs=c.epochs.value, seed=c.seed.value,
                    epochs_per_frame=c.epochs_per_frame.value)

    def png(self):
        """PNG bytes of the playground's views as they are now: the counter, the
        network, the heatmap and the loss curve, drawn by the views' own code."""
        counter = Drawing(1000, 30)
        counter.text(10, 20, counter_text(self.epoch, self.mse), size=15, anchor="start")
        return compose([(counter, 0, 0), (self._network_drawing(), 0, 30),
                        (self._heatmap_drawing(), 320, 30), (self._loss_drawing(), 660, 30)],
                       width=1000, height=330)

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
        """A tick of Play's clock: TICK_FRAMES more frames, the first drawn once the kernel is free.

        Drawing later, not in this callback, lets the kernel tell the browser
        at once that it is ready for the next tick; the browser then sends it
        while this frame is drawn, instead of after. While the kernel is busy,
        ticks that arrive add their frames to the one pending update. While
        training after a change still runs, its chunks are Play's frames:
        ticks wait until it has reached the chosen epochs.
        """
        if not self.controls.play.value or self.training:
            return
        ticks = max(1, change.new - change.old)     # ticks the browser held back count too
        frames = min(ticks * TICK_FRAMES, MAX_FRAMES_AT_ONCE)
        with self._pending_lock:
            already_pending = self._pending is not None
        loop = running_loop()
        if loop is None:                    # no event loop (a script, a test): draw now
            self._request(frames=frames)
        elif already_pending:               # the kernel is busy: add to the waiting update
            self._note(frames=frames)
        else:                               # one frame now, the others FRAME_INTERVAL_MS apart
            self._note(frames=frames - (TICK_FRAMES - 1))
            loop.call_soon(self.update)
            for k in range(1, TICK_FRAMES):
                loop.call_later(k * FRAME_INTERVAL_MS / 1000, self._on_frame)

    def _on_frame(self):
        """One more frame of a tick, unless Play was paused or a change trains meanwhile."""
        if self.controls.play.value and not self.training:
            self._request(frames=1)

    def _on_step(self, button):
        self._request(frames=1)

    def _on_reset(self, button):
        self.controls.play.value = False
        self._request(build="untrained")

    def _request(self, build=None, frames=0):
        """Note what is wanted, then update."""
        self._note(build, frames)
        self.update()

    def _note(self, build=None, frames=0, train_on=False):
        """Note what the next update must do.

        build is 'trained' (a new network, to be trained for the chosen
        epochs) or 'untrained' (a new network at epoch 0), and a later request
        replaces an earlier one; frames adds frames of training; train_on asks
        for the next chunk of the training after a change. Every update but a
        chunk's redraws.
        """
        with self._pending_lock:
            if self._pending is None:
                self._pending = SimpleNamespace(build=None, frames=0, redraw=False,
                                                at_once=False)
            if build is not None:
                self._pending.build = build
                self._pending.frames = 0
            self._pending.frames += frames
            self._pending.redraw |= not train_on

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
                if not safely(self.views.message, self._do, pending):
                    self.controls.play.value = False
                    self.goal = None
                else:
                    self.views.message.value = self._divergence_note()
        finally:
            self._update_lock.release()
        with self._pending_lock:            # a request that came just before the release
            missed = self._pending is not None
        if missed:
            self.update()

    def _do(self, pending):
        """Build and train as asked, then redraw if asked or due."""
        if pending.build is not None:
            self._build()
            self.goal = self.controls.epochs.value if pending.build == "trained" else None
        if pending.frames:
            self.goal = None                # Step and Play carry on from here
            self._train(pending.frames * self.controls.epochs_per_frame.value)
        finished = False
        if self.training:
            loop = None if pending.at_once else running_loop()
            if loop is None:
                self._train(self.goal - self.epoch)
            else:
                first = pending.build is not None
                self._train(min(FIRST_EPOCHS if first else CHUNK_EPOCHS,
                                self.goal - self.epoch))
                if self.training:
                    self._schedule_continuation(loop)
            finished = not self.training
        due = time.perf_counter() - self._last_render >= REDRAW_SECONDS
        if pending.redraw or finished or due:
            self._render()

    def _schedule_continuation(self, loop):
        """Ask the event loop for the next chunk, once the kernel has read its messages."""
        with self._pending_lock:
            if self._continuation is None:
                self._continuation = loop.call_soon(self._train_on)

    def _train_on(self):
        with self._pending_lock:
            self._continuation = None
        if self.training:
            self._note(train_on=True)
            self.update()

    def _cancel_continuation(self):
        with self._pending_lock:
            if self._continuation is not None:
                self._continuation.cancel()
                self._continuation = None

    def _build(self):
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

    def _train(self, epochs):
        if epochs <= 0 or self.trainer.diverged_at is not None:
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
            self.outputs = self.net.forward(self.X)
            self.mse = mse(self.outputs, self.y)
        v = self.views
        v.counter = counter_html(self.epoch, self.mse, self.builds, self.training)
        v.boundary = self._heatmap_drawing().svg()
        v.network = self._network_drawing().svg()
        v.curve = self._loss_drawing().svg()
        v.table = truth_table_html(self.X, self.y, self.outputs, self._input_labels())
        v.board.value = BOARD.format(**vars(v))       # one message for the whole frame
        self.renders += 1
        self._last_render = time.perf_counter()

    def _heatmap_drawing(self):
        self._update_points()
        size = self.boundary_view.resolution
        with np.errstate(over="ignore", invalid="ignore"):
            values = self.net.forward(self._grid_inputs()).reshape(size, size)
        return self.boundary_view.render(values)

    def _network_drawing(self):
        return network_drawing(self.net.weights, self.net.biases, self._input_labels())

    def _loss_drawing(self):
        # the curve ends with the loss now, after the last update
        epochs = np.append(self.curve.epochs, self.epoch)
        losses = np.append(self.curve.losses, self.mse)
        return loss_drawing(epochs, losses, max(self.epoch, 1))

    def _update_points(self):
        """Give the heatmap its samples again if the data set or the slice changed."""
        key = (self.controls.dataset.value, self._slice_value())
        if key == self._shown_points:
            return
        if self.X.shape[1] == 3:
            on_slice = self.X[:, 2] == key[1]
            title = f"output ŷ where x₃ = {key[1]:g}"
            self.boundary_view.set_points(self.X[on_slice, :2], self.y[on_slice], title)
        else:
            self.boundary_view.set_points(self.X, self.y, "output ŷ")
        self._shown_points = key

    def _slice_value(self):
        return self.controls.slice.value if self.X.shape[1] == 3 else None

    def _grid_inputs(self):
        grid = self.boundary_view.grid
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
        buttons = widgets.HBox([c.play, c.step, c.reset, c.epochs_per_frame, self.clock],
                               layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        panel = widgets.VBox(
            [heading("Data"), c.dataset, c.slice,
             heading("Network"), c.hidden_layers, c.units, c.activation,
             heading("Training"), c.lr, c.epochs, c.seed],
            layout=widgets.Layout(width="320px"))
        body = widgets.HBox([panel, v.board],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        return widgets.VBox([buttons, v.message, body], layout=widgets.Layout(width="100%"))


def running_loop():
    """The event loop running in this thread (the kernel's), or None (a script)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def make_controls(settings):
    """The control widgets, with their starting values from settings."""
    style = {"description_width": "100px"}
    wide = widgets.Layout(width="310px")
    return SimpleNamespace(
        dataset=widgets.Dropdown(options=list(DATA_SET_MENU.items()), value=settings["dataset"],
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
        activation=widgets.Dropdown(options=list(ACTIVATIONS),
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
    """The message area, and the board that shows every view; _render fills them.

    The board is one HTML widget; the views' own HTML stays beside it, as
    .counter, .network, .boundary (the heatmap), .curve and .table.
    """
    return SimpleNamespace(message=widgets.HTML(), board=widgets.HTML(),
                           counter="", network="", boundary="", curve="", table="")


# The board: the counter over two columns, the network with the truth table, and
# the heatmap with the loss curve. Every frame replaces it whole, in one message.
BOARD = ('<div class="nnlib-board">'
         '<div style="margin: 4px 0 8px 0">{counter}</div>'
         '<div style="display: flex; flex-flow: row wrap; align-items: flex-start; gap: 12px">'
         '<div><b>Network: weights and biases</b><br>{network}<br>{table}</div>'
         '<div><b>Output</b><br>{boundary}<br>{curve}</div>'
         '</div></div>')


def heading(text):
    return widgets.HTML(f"<b>{html.escape(text)}</b>")


def counter_text(epoch, mse):
    return f"Epoch {epoch:,}    loss (MSE) {mse:.5f}"


def counter_html(epoch, mse, builds=0, training=False):
    """The epoch counter and the loss, as counter_text says them.

    data-builds counts retrains and data-training is 1 while training after
    a change runs on: both for tests in a browser.
    """
    return (f'<span class="nnlib-counter" data-builds="{builds}" '
            f'data-training="{int(training)}" style="font-size: 15px">'
            f'Epoch <b class="nnlib-epoch">{epoch:,}</b>'
            f'&emsp;loss (MSE) <b class="nnlib-loss">{mse:.5f}</b></span>')


def playground(**settings):
    """Make a Playground; as the last line of a cell, it shows itself.

        playground()                                  # XOR, 1 hidden layer of 4 units
        playground(dataset="parity3", units=6, lr=2.0)
    """
    return Playground(**settings)
