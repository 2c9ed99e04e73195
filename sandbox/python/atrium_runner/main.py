"""The Python runner: PID 1's only child in a Python sandbox. It owns the control channel (the same
signed JSON lines as the JavaScript runner, sandbox/src/runner/main.ts) and bridges it onto an
ipykernel through jupyter_client: execute, interrupt, restart, complete and inspect requests go to
the kernel; its iopub messages come back linked to the server's request."""

import asyncio
import os
import sys
import uuid

from nondumpable import make_non_dumpable

# Before the key arrives: from here on cell code cannot read this process's memory.
make_non_dumpable()

from channel import Channel  # noqa: E402
from kernel import Kernel  # noqa: E402
from outputs import OutputCap, collapse_carriage_returns  # noqa: E402

EXECUTION_TIMEOUT_S = float(os.environ.get("ATRIUM_EXECUTION_TIMEOUT_S", "300"))
OUTPUT_MAX_BYTES = int(os.environ.get("ATRIUM_OUTPUT_MAX_BYTES", str(32 * 1024 * 1024)))
# A cell that ignores SIGINT this long (stuck in native code) gets a fresh kernel.
INTERRUPT_GRACE_S = 1.5
OUT_OF_MEMORY_REASON = "killed: out of memory"
RELAYED = {"stream", "display_data", "update_display_data", "execute_result", "error", "clear_output", "execute_input"}


class Execution:
    """One execute_request in flight: where its kernel messages go and what ends it."""

    def __init__(self, parent: dict, jupyter_id: str):
        self.parent = parent
        self.jupyter_id = jupyter_id
        self.reply: dict | None = None
        self.idle = False
        self.done = asyncio.Event()
        self.interrupted_as: str | None = None
        self.cap = OutputCap(OUTPUT_MAX_BYTES)
        self.count = 0


class Bridge:
    def __init__(self, channel: Channel):
        self.channel = channel
        self.kernel = Kernel()
        self.running: Execution | None = None
        self.replies: dict[str, asyncio.Future] = {}
        self.queue: asyncio.Queue = asyncio.Queue()
        self.readers: list[asyncio.Task] = []
        # Clear while the kernel is replaced: requests that arrive meanwhile wait for the new one.
        self.kernel_ready = asyncio.Event()
        self.kernel_ready.set()

    def emit(self, msg_type: str, content: dict, parent: dict | None = None) -> None:
        self.channel.emit(msg_type, content, parent)

    async def start(self) -> None:
        await self.kernel.start()
        self._start_readers()

    def _stop_readers(self) -> None:
        # Before the client's sockets close: a reader left on a closed socket would spin.
        for task in self.readers:
            task.cancel()
        self.readers = []

    async def _restart_kernel(self) -> None:
        self.kernel_ready.clear()
        try:
            self._stop_readers()
            await self.kernel.restart()
            self._start_readers()
        finally:
            self.kernel_ready.set()

    def _start_readers(self) -> None:
        self._stop_readers()
        client = self.kernel.client
        self.readers = [
            asyncio.create_task(self._read(client.get_iopub_msg, self._on_iopub)),
            asyncio.create_task(self._read(client.get_shell_msg, self._on_shell)),
        ]

    async def _read(self, get, handle) -> None:
        while True:
            try:
                msg = await get()
            except asyncio.CancelledError:
                raise
            except Exception as err:  # a malformed message from the kernel: note it, read on
                print(f"runner: kernel message unreadable: {err}", file=sys.stderr)
                await asyncio.sleep(0.05)
                continue
            try:
                handle(msg)
            except Exception as err:
                print(f"runner: could not relay a kernel message: {err!r}", file=sys.stderr)

    def _on_shell(self, msg: dict) -> None:
        future = self.replies.pop(msg.get("parent_header", {}).get("msg_id", ""), None)
        if future and not future.done():
            future.set_result(msg)

    def _on_iopub(self, msg: dict) -> None:
        run = self.running
        if run is None or msg.get("parent_header", {}).get("msg_id") != run.jupyter_id:
            return
        msg_type = msg["header"]["msg_type"]
        content = msg.get("content", {})
        if msg_type == "status":
            if content.get("execution_state") == "idle":
                run.idle = True
                self._maybe_done(run)
            return
        if msg_type not in RELAYED:
            return
        if msg_type == "execute_input":
            run.count = int(content.get("execution_count") or 0)
            self.emit("execute_input", {"code": content.get("code", ""), "execution_count": run.count}, run.parent)
            return
        if msg_type == "error":
            if run.interrupted_as == "TimeoutError" and content.get("ename") == "KeyboardInterrupt":
                content = timeout_error()
            self.emit("error", error_content(content), run.parent)
            return
        if msg_type == "stream":
            content = {"name": content.get("name", "stdout"), "text": collapse_carriage_returns(str(content.get("text", "")))}
        elif msg_type == "clear_output":
            content = {"wait": bool(content.get("wait", False))}
        else:
            content = display_content(msg_type, content)
        allowed, notice = run.cap.admit(content)
        if notice:
            self.emit("stream", {"name": "stderr", "text": notice}, run.parent)
        if allowed:
            self.emit(msg_type, content, run.parent)

    def _maybe_done(self, run: Execution) -> None:
        if run.idle and run.reply is not None:
            run.done.set()

    def _request(self, jupyter_id: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.replies[jupyter_id] = future
        return future

    async def execute(self, request: dict) -> None:
        parent = request["header"]
        content = request.get("content") or {}
        code = str(content.get("code", ""))
        limit = EXECUTION_TIMEOUT_S
        if isinstance(content.get("timeout_s"), (int, float)) and content["timeout_s"] > 0:
            limit = min(limit, float(content["timeout_s"]))
        self.emit("status", {"execution_state": "busy"}, parent)
        await self.kernel_ready.wait()
        jupyter_id = self.kernel.client.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        run = Execution(parent, jupyter_id)
        self.running = run
        reply = self._request(jupyter_id)

        def got_reply(future: asyncio.Future) -> None:
            if not future.cancelled():
                run.reply = future.result().get("content", {})
                self._maybe_done(run)

        reply.add_done_callback(got_reply)
        watch = asyncio.create_task(self._watch(run, limit))
        try:
            await run.done.wait()
        finally:
            watch.cancel()
            self.replies.pop(jupyter_id, None)
            self.running = None
        final = run.reply or {}
        count = int(final.get("execution_count") or run.count or 0)
        if final.get("status") == "error":
            err = error_content(final)
            if run.interrupted_as == "TimeoutError" and err["ename"] == "KeyboardInterrupt":
                err = timeout_error()
            self.emit("execute_reply", {"status": "error", "execution_count": count, **err}, parent)
        elif final.get("status") == "died":
            self.emit("execute_reply", {"status": "error", "execution_count": count, **error_content(final)}, parent)
        else:
            self.emit("execute_reply", {"status": "ok", "execution_count": count}, parent)
        self.emit("status", {"execution_state": "idle"}, parent)

    async def _watch(self, run: Execution, limit: float) -> None:
        """Ends the cell at its time limit, and notices a kernel process that died under it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        interrupted_at: float | None = None
        while not run.done.is_set():
            await asyncio.sleep(0.05)
            if not self.kernel.alive():
                await self._kernel_died(run)
                return
            now = loop.time()
            if run.interrupted_as is None and now >= deadline:
                run.interrupted_as = "TimeoutError"
                self.kernel.interrupt()
            if run.interrupted_as and interrupted_at is None:
                interrupted_at = now
            if interrupted_at is not None and now - interrupted_at > INTERRUPT_GRACE_S and run.reply is None:
                # SIGINT did not reach Python code (native code holding on): a fresh kernel instead.
                as_ = run.interrupted_as or "KeyboardInterrupt"
                evalue = "Execution timed out" if as_ == "TimeoutError" else "Execution interrupted"
                await self._replace_kernel(run, as_, evalue, [f"{as_}: {evalue}", "The kernel was restarted; its state was lost."])
                return

    async def _kernel_died(self, run: Execution) -> None:
        status = self.kernel.exit_status()
        reason = OUT_OF_MEMORY_REASON if status in (-9, 137) else f"kernel exited ({status})"
        await self._replace_kernel(run, "KernelDied", reason, [f"KernelDied: {reason}", "The kernel was restarted; its state was lost."])

    async def _replace_kernel(self, run: Execution, ename: str, evalue: str, traceback: list[str]) -> None:
        err = {"ename": ename, "evalue": evalue, "traceback": traceback}
        self.emit("error", err, run.parent)
        await self._restart_kernel()
        run.reply = {"status": "died", "execution_count": run.count, **err}
        run.idle = True
        run.done.set()

    def interrupt(self, as_: str = "KeyboardInterrupt") -> None:
        if self.running is not None and self.running.interrupted_as is None:
            self.running.interrupted_as = as_
        self.kernel.interrupt()

    async def ask(self, send, timeout: float = 10) -> dict:
        """A shell request answered by its reply (complete, inspect)."""
        await self.kernel_ready.wait()
        jupyter_id = send()
        future = self._request(jupyter_id)
        try:
            return (await asyncio.wait_for(future, timeout)).get("content", {})
        finally:
            self.replies.pop(jupyter_id, None)

    async def restart(self, parent: dict) -> None:
        self.emit("status", {"execution_state": "restarting"}, parent)
        run = self.running
        if run is not None:
            await self._replace_kernel(run, "KernelRestarted", "The kernel was restarted", ["KernelRestarted: The kernel was restarted"])
        else:
            await self._restart_kernel()
        self.emit("shutdown_reply", {"status": "ok", "restart": True}, parent)
        self.emit("status", {"execution_state": "idle"}, parent)

    async def cells(self) -> None:
        """Cells run one at a time, in arrival order; control requests are answered at once."""
        while True:
            request = await self.queue.get()
            try:
                await self.execute(request)
            except Exception as err:
                # Never leave the server waiting: the cell ends with the runner's error.
                print(f"runner: execution failed: {err!r}", file=sys.stderr)
                parent = request["header"]
                failure = {"ename": "RunnerError", "evalue": str(err), "traceback": [f"RunnerError: {err}"]}
                self.emit("error", failure, parent)
                self.emit("execute_reply", {"status": "error", "execution_count": 0, **failure}, parent)
                self.emit("status", {"execution_state": "idle"}, parent)

    async def handle(self, msg: dict) -> None:
        header = msg["header"]
        msg_type = header["msg_type"]
        parent = {"msg_id": str(header.get("msg_id", "")), "msg_type": msg_type}
        content = msg.get("content") if isinstance(msg.get("content"), dict) else {}
        if msg_type == "execute_request":
            self.queue.put_nowait({"header": parent, "content": content})
        elif msg_type == "interrupt_request":
            self.interrupt()
            self.emit("interrupt_reply", {"status": "ok"}, parent)
        elif msg_type == "complete_request":
            code, pos = str(content.get("code", "")), int(content.get("cursor_pos") or 0)
            reply = await self.ask(lambda: self.kernel.client.complete(code, pos))
            self.emit("complete_reply", complete_content(reply, pos), parent)
        elif msg_type == "inspect_request":
            code, pos = str(content.get("code", "")), int(content.get("cursor_pos") or 0)
            level = 1 if content.get("detail_level") == 1 else 0
            reply = await self.ask(lambda: self.kernel.client.inspect(code, pos, level))
            self.emit("inspect_reply", inspect_content(reply), parent)
        elif msg_type == "kernel_info_request":
            self.emit(
                "kernel_info_reply",
                {
                    "status": "ok",
                    "protocol_version": "5.3",
                    "implementation": "atrium-python",
                    "implementation_version": "0.1.0",
                    "language_info": {"name": "python", "version": sys.version.split()[0], "file_extension": ".py"},
                },
                parent,
            )
        elif msg_type == "shutdown_request":
            if content.get("restart"):
                await self.restart(parent)
            else:
                self.kernel.kill()
                self.emit("shutdown_reply", {"status": "ok", "restart": False}, parent)
                os._exit(0)


def timeout_error() -> dict:
    return {"ename": "TimeoutError", "evalue": "Execution timed out", "traceback": ["TimeoutError: Execution timed out"]}


def error_content(content: dict) -> dict:
    traceback = content.get("traceback")
    return {
        "ename": str(content.get("ename", "Error")),
        "evalue": str(content.get("evalue", "")),
        "traceback": [str(line) for line in traceback] if isinstance(traceback, list) else [],
    }


def display_content(msg_type: str, content: dict) -> dict:
    data = content.get("data") if isinstance(content.get("data"), dict) else {}
    metadata = content.get("metadata") if isinstance(content.get("metadata"), dict) else {}
    out = {"data": data, "metadata": metadata}
    transient = content.get("transient")
    if isinstance(transient, dict) and isinstance(transient.get("display_id"), str):
        out["transient"] = {"display_id": transient["display_id"]}
    if msg_type == "execute_result":
        out["execution_count"] = int(content.get("execution_count") or 0)
    return out


def complete_content(reply: dict, pos: int) -> dict:
    matches = reply.get("matches") if isinstance(reply.get("matches"), list) else []
    return {
        "status": "ok",
        "matches": [str(m) for m in matches[:500]],
        "cursor_start": int(reply.get("cursor_start", pos) or 0),
        "cursor_end": int(reply.get("cursor_end", pos) or 0),
    }


def inspect_content(reply: dict) -> dict:
    data = reply.get("data") if isinstance(reply.get("data"), dict) else {}
    return {"status": "ok", "found": bool(reply.get("found")), "data": data}


async def serve() -> None:
    channel = Channel(os.environ.get("ATRIUM_KERNEL_SESSION", str(uuid.uuid4())))
    bridge = Bridge(channel)
    lines = channel.lines()
    ready = asyncio.Event()
    tasks: set[asyncio.Task] = set()

    async def read() -> None:
        async for msg in lines:
            await ready.wait()
            task = asyncio.create_task(bridge.handle(msg))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        # The server closing the channel means the sandbox is no longer wanted.
        bridge.kernel.kill()
        os._exit(0)

    reader = asyncio.create_task(read())
    await channel.keyed.wait()
    channel.emit("status", {"execution_state": "starting"})
    await bridge.start()
    asyncio.create_task(bridge.cells())
    ready.set()
    channel.emit("status", {"execution_state": "idle"})
    await reader


if __name__ == "__main__":
    asyncio.run(serve())
