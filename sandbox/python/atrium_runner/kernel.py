"""One ipykernel process and a jupyter_client client on its sockets. The sockets are ipc (unix
sockets under /tmp): the sandbox has no network and no port leaves it."""

import asyncio
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import write_connection_file

HERE = os.path.dirname(os.path.abspath(__file__))
STARTUP = os.path.join(HERE, "kernel_startup.py")
MATPLOTLIB_CACHE = "/opt/atrium/matplotlib"


def _seed_matplotlib_cache() -> None:
    """The image built matplotlib's font list once; a copy in the writable config dir skips the scan."""
    target = os.environ.get("MPLCONFIGDIR")
    if not target or not os.path.isdir(MATPLOTLIB_CACHE):
        return
    os.makedirs(target, exist_ok=True)
    for path in glob.glob(os.path.join(MATPLOTLIB_CACHE, "fontlist-*.json")):
        dest = os.path.join(target, os.path.basename(path))
        if not os.path.exists(dest):
            shutil.copyfile(path, dest)


class Kernel:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="atrium-kernel-")
        self.connection_file = os.path.join(self.dir, "kernel.json")
        write_connection_file(self.connection_file, transport="ipc", ip=os.path.join(self.dir, "ipc"))
        self.process: subprocess.Popen | None = None
        self.client: AsyncKernelClient | None = None

    async def start(self, timeout: float = 60) -> None:
        _seed_matplotlib_cache()
        # Its stdout is not the channel: anything the kernel process writes on fd 1 lands on our stderr.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ipykernel_launcher",
                "-f",
                self.connection_file,
                f"--IPKernelApp.exec_files={[STARTUP]!r}",
                "--HistoryManager.enabled=False",
                # Namespace completion answers at once; jedi's first completion takes seconds to load.
                "--IPCompleter.use_jedi=False",
            ],
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr.fileno(),
            stderr=sys.stderr.fileno(),
            cwd=os.environ.get("HOME", "/tmp"),
            env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            start_new_session=True,
        )
        if self.client is None:
            self.client = AsyncKernelClient(connection_file=self.connection_file)
            self.client.load_connection_file()
            self.client.start_channels()
        await self._wait_for_ready(timeout)

    async def _wait_for_ready(self, timeout: float) -> None:
        """Asks kernel_info until the kernel answers (jupyter_client's wait_for_ready wants a manager)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if not self.alive():
                raise RuntimeError(f"the kernel exited ({self.exit_status()}) before it was ready")
            msg_id = self.client.kernel_info()
            try:
                while True:
                    reply = await self.client.get_shell_msg(timeout=0.5)
                    if reply.get("parent_header", {}).get("msg_id") == msg_id:
                        break
            except Exception:  # no reply yet (queue.Empty): ask again
                continue
            # Drain what iopub said while starting, so it is not taken for a cell's output.
            while True:
                try:
                    await self.client.get_iopub_msg(timeout=0.05)
                except Exception:
                    return
        raise RuntimeError(f"the kernel did not answer in {timeout:.0f} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_status(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def interrupt(self) -> None:
        """KeyboardInterrupt in the cell, as Jupyter's signal interrupt mode does."""
        if self.alive():
            self.process.send_signal(signal.SIGINT)

    def kill(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    async def restart(self) -> None:
        self.kill()
        # The old kernel's unanswered messages must not be read as the new one's.
        self.client.stop_channels()
        self.client = None
        await self.start()
