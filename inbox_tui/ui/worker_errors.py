"""No worker error vanishes. Textual tells only the node that started a worker that it failed
(`Worker.StateChanged` does not bubble), and our workers run with `exit_on_error=False` so
that one failed read never ends the app: this mixin, on the app and on every screen that runs
workers, hands each failure to one handler."""

from __future__ import annotations

import logging

from textual.worker import Worker, WorkerState

log = logging.getLogger("inbox_tui.ui")


def worker_failed_words(worker: Worker) -> str:
    """For the status bar: what failed, by its group, never the error's own text (it may
    carry a server's words or a key)."""
    what = worker.group if worker.group != "default" else worker.name
    return (
        f"Something went wrong ({what}: {type(worker.error).__name__}); the app goes on. "
        "Run inbox-tui with --log PATH to record the details for a bug report."
    )


class SurfacesWorkerErrors:
    """Mixed into the app and the screens: a failed worker is logged with its traceback and
    said on screen."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        log.error("worker %r failed", worker.name, exc_info=worker.error)
        self.app.worker_failed(worker_failed_words(worker))  # type: ignore[attr-defined]
