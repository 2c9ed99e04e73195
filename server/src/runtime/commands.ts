import type {
  CompleteReplyContent,
  CompleteRequestContent,
  ExecuteReplyContent,
  ExecuteRequestContent,
  InspectReplyContent,
  InspectRequestContent,
  KernelLanguage,
  KernelView,
} from '@atrium/protocol';
import type { AccountRecord } from '../accounts/AccountStore.js';
import { forbidden, notFound } from '../errors.js';
import type { Kernel } from './KernelManager.js';
import type { MessageListener } from './KernelSession.js';
import type { Runtime } from './Runtime.js';

/** A kernel the user may see and control: their own, or any for an instance admin. */
export function findOwnedKernel(runtime: Runtime, user: AccountRecord, id: string): Kernel {
  const kernel = runtime.kernels.get(id);
  // Someone else's kernel answers 404, so ids of others' kernels cannot be probed.
  if (kernel.owner !== user.name && !user.isAdmin)
    throw notFound(`Kernel ${id} not found`, 'kernel_not_found');
  return kernel;
}

export async function startKernel(
  runtime: Runtime,
  user: AccountRecord,
  options: { key?: string; language?: KernelLanguage },
): Promise<KernelView> {
  return runtime.kernels.view(await runtime.kernels.start(user.name, options));
}

export function completeCode(
  runtime: Runtime,
  user: AccountRecord,
  id: string,
  request: CompleteRequestContent,
): Promise<CompleteReplyContent> {
  return runtime.kernels.complete(findOwnedKernel(runtime, user, id).id, request);
}

export function inspectCode(
  runtime: Runtime,
  user: AccountRecord,
  id: string,
  request: InspectRequestContent,
): Promise<InspectReplyContent> {
  return runtime.kernels.inspect(findOwnedKernel(runtime, user, id).id, request);
}

/** The user's kernels; every kernel of the instance when an admin asks for all. */
export function listKernels(runtime: Runtime, user: AccountRecord, all: boolean): KernelView[] {
  if (all && !user.isAdmin)
    throw forbidden('Only an instance admin may list every sandbox', 'admin_required');
  return runtime.kernels.list(all ? undefined : user.name).map((k) => runtime.kernels.view(k));
}

export async function stopKernel(runtime: Runtime, user: AccountRecord, id: string): Promise<void> {
  await runtime.kernels.shutdown(findOwnedKernel(runtime, user, id).id);
}

export async function interruptKernel(runtime: Runtime, user: AccountRecord, id: string): Promise<void> {
  await runtime.kernels.interrupt(findOwnedKernel(runtime, user, id).id);
}

export async function restartKernel(runtime: Runtime, user: AccountRecord, id: string): Promise<KernelView> {
  return runtime.kernels.view(await runtime.kernels.restart(findOwnedKernel(runtime, user, id).id));
}

export function executeCode(
  runtime: Runtime,
  user: AccountRecord,
  id: string,
  request: ExecuteRequestContent,
  onMessage: MessageListener,
): Promise<ExecuteReplyContent> {
  return runtime.kernels.execute(findOwnedKernel(runtime, user, id).id, request, onMessage);
}
