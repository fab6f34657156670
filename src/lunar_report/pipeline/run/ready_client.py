"""The client of a report's kernel: ready as soon as the kernel has answered, not after a fixed quiet spell.

jupyter_client's client counts a kernel ready once it answers `kernel_info`, then waits until its
IOPub channel has been silent for 0.2 s. A render waits for that twice per report (when the kernel
is warmed up, and again when papermill connects), on its critical path. This client waits instead
for the kernel's "idle" status of that very request on IOPub: every message the request caused has
then arrived, and what is queued is dropped at once. nbclient ignores IOPub messages of other
requests in any case.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient

ANSWER_SECONDS = 1.0  # how long one kernel_info request waits for its reply on the shell channel
IDLE_SECONDS = 0.5  # how long it then waits for its idle status on IOPub (not yet connected: ask again)


class ReadyKernelClient(AsyncKernelClient):
    """An asynchronous kernel client whose `wait_for_ready` ends with the kernel's answer."""

    async def _idle_after(self, request: str) -> bool:
        """Whether IOPub brings the idle status of `request` within IDLE_SECONDS (the queue is then drained)."""
        deadline = time.monotonic() + IDLE_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (
                message["parent_header"].get("msg_id") == request
                and message["msg_type"] == "status"
                and message["content"].get("execution_state") == "idle"
            ):
                while await self.iopub_channel.msg_ready():
                    await self.iopub_channel.get_msg(timeout=0)
                return True
        return False

    async def _reply_to(self, request: str) -> dict[str, Any] | None:
        """The kernel's kernel_info reply to `request`, or None when none comes within ANSWER_SECONDS."""
        deadline = time.monotonic() + ANSWER_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await self.shell_channel.get_msg(timeout=left)
            except Empty:
                return None
            if message["msg_type"] == "kernel_info_reply" and message["parent_header"].get("msg_id") == request:
                return dict(message)
        return None

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ask for kernel_info until the reply comes on shell and its idle status on IOPub; RuntimeError when
        the kernel dies meanwhile or `timeout` seconds pass."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            reply = await self._reply_to(request)
            if reply is not None and await self._idle_after(request):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
