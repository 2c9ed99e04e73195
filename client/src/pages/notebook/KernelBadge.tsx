import type { NotebookKernelStatus } from '@atrium/protocol';

const LABEL = { none: 'no kernel', starting: 'starting', idle: 'idle', busy: 'busy', dead: 'dead' } as const;

/** The shared kernel's state, as the server publishes it to everyone on the page. */
export function KernelBadge({ kernel }: { kernel: NotebookKernelStatus }) {
  return (
    <span
      className={`nb-kernel nb-kernel-${kernel.state}`}
      data-testid="kernel-state"
      data-state={kernel.state}
      title={kernel.reason ?? undefined}
    >
      <span className="nb-kernel-dot" aria-hidden="true" />
      Kernel: {LABEL[kernel.state]}
      {kernel.runBy && kernel.state === 'busy' ? ` (run by ${kernel.runBy})` : ''}
      {kernel.queued.length > 0 ? `, ${kernel.queued.length} queued` : ''}
      {kernel.state === 'dead' && kernel.reason ? `: ${kernel.reason}` : ''}
    </span>
  );
}
