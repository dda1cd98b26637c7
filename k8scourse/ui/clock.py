"""Play, pause, speed and step controls that move a cluster's time, for the live views.

Used by the cluster view and the event timeline. On the simulated cluster each tick of the play control
lets `speed × interval` seconds of simulated time pass (`cluster.advance`) and the step button lets
`step` seconds pass; on a real cluster time runs by itself, so both only look again (a poll). The ticks
come from the browser (ipywidgets' Play), so the kernel runs them between cells, never concurrently.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from . import live

SPEEDS = [("×1", 1.0), ("×2", 2.0), ("×5", 5.0), ("×10", 10.0), ("×30", 30.0)]


def simulated(cluster: Any) -> bool:
    """Whether `cluster` runs on simulated time (which only moves when told to)."""
    return getattr(cluster.backend, "kind_name", "") == "simulated"


class TimeControls(widgets.HBox):
    """▶/⏸ (a tick every `interval_ms`), a speed choice, and a step button of `step` seconds."""

    def __init__(self, cluster: Any, *, step: float = 1.0, speed: float = 1.0, interval_ms: int = 500):
        self.cluster = cluster
        self.step_seconds = step
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=interval_ms, show_repeat=False,
                                 description="play", tooltip="let cluster time run")
        self.speed = widgets.Dropdown(options=SPEEDS, value=speed, description="speed",
                                      layout=widgets.Layout(width="150px"))
        self.step_button = widgets.Button(description=f"step {step:g} s" if simulated(cluster) else "refresh",
                                          icon="step-forward", layout=widgets.Layout(width="110px"))
        self.step_button.add_class("k8scourse-step")
        self.play.observe(self._on_tick, names="value")
        self.step_button.on_click(lambda _: self.step())
        super().__init__([self.play, self.speed, self.step_button])

    def _on_tick(self, change: dict[str, Any]) -> None:
        if change["new"] > change["old"]:
            self.tick()

    def tick(self) -> None:
        """One tick of the play control: `speed × interval` seconds pass, then the views redraw."""
        self._move(self.speed.value * self.play.interval / 1000)

    def step(self) -> None:
        """The step button: `step` seconds pass, then the views redraw."""
        self._move(self.step_seconds)

    def _move(self, seconds: float) -> None:
        if simulated(self.cluster):
            self.cluster.advance(seconds)
        live.changed(self.cluster)
