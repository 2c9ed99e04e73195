import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../logger.js';
import { KubernetesDriver, type KubernetesDriverOptions } from './KubernetesDriver.js';

export interface KubernetesDriverSettings extends Omit<KubernetesDriverOptions, 'namespace'> {
  /** A kubeconfig file; unset: the standard places (`KUBECONFIG`, `~/.kube/config`, in-cluster). */
  kubeconfig: string | undefined;
  /** Unset: the current context's namespace, else `default`. */
  namespace: string | undefined;
}

/** The driver for `ATRIUM_SANDBOX_DRIVER=kubernetes`, with credentials found as kubectl finds them. */
export function createKubernetesDriver(log: Logger, settings: KubernetesDriverSettings): KubernetesDriver {
  const kubeConfig = new KubeConfig();
  if (settings.kubeconfig) kubeConfig.loadFromFile(settings.kubeconfig);
  else kubeConfig.loadFromDefault();
  const namespace =
    settings.namespace ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? 'default';
  return new KubernetesDriver(log, kubeConfig, { ...settings, namespace });
}
