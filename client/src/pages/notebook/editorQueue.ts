/** Editors built per animation frame while scrolling: each costs a few ms, so a fast scroll stays smooth. */
const PER_FRAME = 3;

const waiting: (() => void)[] = [];
let scheduled = false;

function flush() {
  scheduled = false;
  for (const build of waiting.splice(0, PER_FRAME)) build();
  if (waiting.length > 0) schedule();
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(flush);
}

/** Queues an editor to be built in a coming frame; the returned function cancels it. */
export function queueEditor(build: () => void): () => void {
  waiting.push(build);
  schedule();
  return () => {
    const i = waiting.indexOf(build);
    if (i >= 0) waiting.splice(i, 1);
  };
}
