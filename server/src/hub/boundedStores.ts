/**
 * Files stored at once (while a commit's next lines are read, or a server-made commit's files): on S3
 * each file is a request, and one after the other a 1,000-file commit outlasted the body deadline;
 * all at once, a big commit opens thousands. Bytes bound the memory the queue holds.
 */
const STORES_IN_FLIGHT = 16;
const STORE_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/**
 * Runs stores concurrently up to the bounds above; `add` waits (back-pressure) while they are full and
 * hands back the store's promise wrapped, so that awaiting `add` does not await the store itself.
 */
export function boundedStores() {
  const running = new Set<Promise<unknown>>();
  let bytes = 0;
  return {
    async add<T>(size: number, store: () => Promise<T>): Promise<{ task: Promise<T> }> {
      while (running.size >= STORES_IN_FLIGHT || (running.size > 0 && bytes + size > STORE_BYTES_IN_FLIGHT))
        await Promise.race(running); // a failed store throws here and ends the commit
      const task = store();
      const settled = () => {
        running.delete(task);
        bytes -= size;
      };
      task.then(settled, settled); // also marks a rejection handled until the commit awaits it
      running.add(task);
      bytes += size;
      return { task };
    },
  };
}
