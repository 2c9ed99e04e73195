import fs from 'node:fs';

/**
 * CPU time spent by one thread of this process, read from Linux's /proc (utime + stime). A decoding
 * budget in wall time condemns an honest update whenever a loaded machine does not schedule the
 * decoder; counted in the thread's own CPU time it only stops a decoder that really spins.
 * Elsewhere (no /proc) these return null and callers keep to wall time.
 */

/** Clock ticks per second of /proc's times: USER_HZ, 100 on every Linux build that matters. */
const TICKS_PER_S = 100;

/** The calling thread's id in the kernel (`/proc/thread-self` → `<pid>/task/<tid>`), or null. */
export function currentThreadId(): number | null {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

/** Milliseconds of CPU the thread `tid` of this process has used (10 ms resolution), or null. */
export function threadCpuMs(tid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_S : null;
  } catch {
    return null;
  }
}
