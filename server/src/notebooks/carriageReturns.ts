/**
 * Stream text as a terminal (and Jupyter) shows it: within a line, what follows a `\r` replaces what
 * came before, so a tqdm bar redrawn a thousand times is stored as one line. A trailing `\r` is kept:
 * the next chunk still overwrites that line.
 */
export function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      if (!line.includes('\r')) return line;
      const visible = line.split('\r').filter((part) => part !== '');
      return (visible[visible.length - 1] ?? '') + (line.endsWith('\r') ? '\r' : '');
    })
    .join('\n');
}
