"""A report kernel's client is ready once the kernel has answered: its first cell's output then arrives whole,
and a kernel that dies or never answers is one clear error."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from queue import Empty

import pytest

from lunar_report.pipeline.run.kernels import kernel_manager_class, ready_client_class

pytestmark = pytest.mark.slow


async def _started(runtime):
    manager = kernel_manager_class(runtime)(kernel_name="lunar-report")
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    return manager, client


async def _outputs(client, request: str) -> list[str]:
    """The stream text of `request` on IOPub until its idle status."""
    texts = []
    while True:
        message = await client.iopub_channel.get_msg(timeout=30)
        if message["parent_header"].get("msg_id") != request:
            continue
        if message["msg_type"] == "stream":
            texts.append(message["content"]["text"])
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return texts


def test_a_ready_kernel_runs_the_first_cell_with_all_its_output(tmp_path):
    async def run() -> tuple[list[str], list[str]]:
        manager, client = await _started(tmp_path)
        try:
            assert isinstance(client, ready_client_class())
            await client.wait_for_ready(timeout=60)
            first = await _outputs(client, client.execute("print('first')"))
            second = await _outputs(client, client.execute("print('second')"))
            return first, second
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    assert asyncio.run(run()) == (["first\n"], ["second\n"])


def test_a_kernel_that_dies_is_not_waited_for(tmp_path):
    async def run() -> None:
        manager, client = await _started(tmp_path)
        try:
            await client.wait_for_ready(timeout=60)
            os.kill(manager.provisioner.pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
            with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
                await client.wait_for_ready(timeout=60)
        finally:
            client.stop_channels()
            with contextlib.suppress(Empty, RuntimeError):
                await manager.shutdown_kernel(now=True)

    asyncio.run(run())
