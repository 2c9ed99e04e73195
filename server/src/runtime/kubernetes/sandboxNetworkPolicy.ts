import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { SANDBOX_POD_LABEL } from './podLabels.js';

export const NETWORK_POLICY_NAME = 'atrium-sandboxes-deny-all';

/**
 * Docker's `NetworkMode: none` in Kubernetes terms: every sandbox pod of the namespace, no ingress and
 * no egress (both policy types listed with no rule allow nothing, DNS included). The control channel is
 * the attach stream through the API server and kubelet, which a NetworkPolicy does not touch.
 */
export function buildSandboxNetworkPolicy(namespace: string): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: NETWORK_POLICY_NAME,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'atrium' },
    },
    spec: {
      podSelector: { matchLabels: { [SANDBOX_POD_LABEL]: 'true' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [],
    },
  };
}
