"""Child processes (base/children.py): every registered process group is stopped, none launched while stopping."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

import pytest

from helpers import gone
from lunar_report.pipeline.base import children

# --- children --------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_children():
    children.reset()
    yield
    children.reset()


def sleeper() -> subprocess.Popen:
    return subprocess.Popen(["sleep", "60"], start_new_session=True)


def test_stop_all_kills_every_registered_process_group(fresh_children):
    import psutil

    first, second = sleeper(), sleeper()
    children.register(first.pid)
    children.register(second.pid)
    children.unregister(second.pid)
    assert children.stop_all() == 1
    assert first.wait(timeout=5) == -signal.SIGKILL
    assert second.poll() is None
    second.kill()
    second.wait()
    assert gone([psutil.Process(os.getpid())], timeout=0) is False  # the test itself is untouched


def test_a_child_started_while_stopping_is_killed_and_no_new_launch_begins(fresh_children):
    release = threading.Event()
    started: list[subprocess.Popen] = []

    def launch():
        with children.launching():
            release.wait(5)
            started.append(sleeper())
            children.register(started[0].pid)

    thread = threading.Thread(target=launch)
    thread.start()
    threading.Timer(0.2, release.set).start()
    assert children.stop_all(wait=5) == 0  # waited for the launch, whose child was killed as it registered
    thread.join(5)
    assert started[0].wait(timeout=5) == -signal.SIGKILL
    with pytest.raises(ChildProcessError), children.launching():
        pass
    children.reset()
    with children.launching():
        pass
