import type { V1Pod } from '@kubernetes/client-node';
import type { SandboxInfo } from '../SandboxDriver.js';
import { decodeLabels } from './podLabels.js';
import { SANDBOX_CONTAINER } from './sandboxPod.js';

/** What one sandbox pod's container is doing, in the terms SandboxInfo uses. */
export function sandboxInfoOf(pod: V1Pod): SandboxInfo {
  const name = pod.metadata?.name ?? '';
  const status = pod.status?.containerStatuses?.find((c) => c.name === SANDBOX_CONTAINER);
  const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
  const running = pod.status?.phase === 'Running' && status?.state?.running !== undefined;
  return {
    id: name,
    name,
    running,
    // A pod ended by its deadline has no container state left to read: no exit code, as Docker's "unknown".
    exitCode: running ? null : (terminated?.exitCode ?? null),
    oomKilled: terminated?.reason === 'OOMKilled',
    timeLimitReached: pod.status?.reason === 'DeadlineExceeded',
    labels: decodeLabels(pod.metadata?.labels, pod.metadata?.annotations),
  };
}

/** Why a pod that never ran will not: a bad image or config fails now rather than at the start timeout. */
export function podStartFailure(pod: V1Pod): string | null {
  const waiting = pod.status?.containerStatuses?.find((c) => c.name === SANDBOX_CONTAINER)?.state?.waiting;
  const fatal = [
    'ErrImagePull',
    'ImagePullBackOff',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CreateContainerError',
  ];
  if (waiting?.reason && fatal.includes(waiting.reason))
    return `the sandbox pod cannot start: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')
    return `the sandbox pod ended before it was attached (${pod.status.reason ?? pod.status.phase})`;
  // An unschedulable pod may still start (an autoscaler adds a node): the start timeout decides.
  return null;
}
