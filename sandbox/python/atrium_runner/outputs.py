"""What the runner does to a cell's output before it leaves the sandbox: `\\r` progress lines
collapsed as Jupyter renders them, and a cap on how much one cell may send."""

import json

TRUNCATED_NOTICE = "\n[output truncated: this cell exceeded its output limit]\n"


def collapse_carriage_returns(text: str) -> str:
    """Within each line, what follows the last `\r` replaces what came before (a tqdm bar's redraw).
    The first line keeps one leading `\r` (it overwrites what the previous chunk left open) and a
    trailing `\r` is kept (the next chunk overwrites it); the server collapses again as it merges
    chunks (server/src/notebooks/carriageReturns.ts)."""
    if "\r" not in text:
        return text
    out = []
    for i, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        if "\r" not in line:
            out.append(line)
            continue
        visible = [part for part in line.split("\r") if part]
        lead = "\r" if i == 0 else ""
        out.append(lead + (visible[-1] if visible else "") + ("\r" if line.endswith("\r") else ""))
    return "\n".join(out)


class OutputCap:
    """Admits a cell's outputs until their JSON reaches the limit, then says so once and drops the rest."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.used = 0
        self.truncated = False

    def admit(self, content: dict) -> tuple[bool, str | None]:
        if self.truncated:
            return False, None
        size = len(json.dumps(content, ensure_ascii=True))
        if self.used + size > self.max_bytes:
            self.truncated = True
            return False, TRUNCATED_NOTICE
        self.used += size
        return True, None
