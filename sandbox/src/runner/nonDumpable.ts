import koffi from 'koffi';

/** prctl(2)'s option that sets whether the process may be dumped or inspected (<linux/prctl.h>). */
const PR_SET_DUMPABLE = 4;

/**
 * Makes the runner non-dumpable before it reads the channel key. Cell code runs as the same user,
 * and a dumpable process's /proc/<pid>/mem, fd/*, environ and maps are open to that user: under
 * runc they then belong to root and cell code (no capabilities) gets EACCES; under gVisor mem is
 * refused and the rest stays open (what that does and does not protect: sandbox/README.md). Node
 * has no binding for prctl, hence the FFI; a runner that cannot do it does not start.
 */
export function makeNonDumpable(): void {
  const prctl = koffi
    .load('libc.so.6')
    .func('int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)');
  const result = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) as number;
  if (result !== 0) throw new Error(`prctl(PR_SET_DUMPABLE, 0) failed with ${result}`);
}
