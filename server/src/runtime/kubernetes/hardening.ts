import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { SANDBOX_POD_LABEL } from './podLabels.js';

/**
 * What a sandbox pod must say, field by field, or the list of what it lacks. The driver refuses to create
 * a pod with any problem, and the real-cluster suite checks the pod the API server gave back (an
 * admission webhook may have changed it).
 */
export function podHardeningProblems(pod: V1Pod): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const spec = pod.spec;
  const podSecurity = spec?.securityContext;
  need(pod.metadata?.labels?.[SANDBOX_POD_LABEL] === 'true', `label ${SANDBOX_POD_LABEL}=true`);
  need(spec?.automountServiceAccountToken === false, 'automountServiceAccountToken: false');
  need(spec?.enableServiceLinks === false, 'enableServiceLinks: false');
  need(spec?.hostNetwork !== true && spec?.hostPID !== true && spec?.hostIPC !== true, 'no host namespaces');
  need(spec?.restartPolicy === 'Never', 'restartPolicy: Never');
  need((spec?.activeDeadlineSeconds ?? 0) > 0, 'activeDeadlineSeconds');
  need(podSecurity?.runAsNonRoot === true, 'pod runAsNonRoot: true');
  need((podSecurity?.runAsUser ?? 0) > 0, 'pod runAsUser (non-zero)');
  need(podSecurity?.seccompProfile?.type === 'RuntimeDefault', 'pod seccompProfile RuntimeDefault');
  need(
    (spec?.volumes ?? []).every((v) => !v.hostPath),
    'no hostPath volumes',
  );
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  need(containers.length > 0, 'a container');
  for (const c of containers) {
    const s = c.securityContext;
    const at = `container ${c.name}:`;
    need(s?.runAsNonRoot !== false, `${at} runAsNonRoot not false`);
    need(s?.runAsUser !== 0, `${at} runAsUser not 0`);
    need(s?.allowPrivilegeEscalation === false, `${at} allowPrivilegeEscalation: false`);
    need(s?.privileged !== true, `${at} not privileged`);
    need(s?.readOnlyRootFilesystem === true, `${at} readOnlyRootFilesystem: true`);
    need(
      (s?.capabilities?.drop ?? []).includes('ALL') && (s?.capabilities?.add ?? []).length === 0,
      `${at} capabilities drop ALL, add none`,
    );
    need(
      s?.seccompProfile === undefined || s.seccompProfile.type === 'RuntimeDefault',
      `${at} seccompProfile RuntimeDefault`,
    );
    const { requests, limits } = c.resources ?? {};
    // Guaranteed QoS: both set and equal, so the memory limit is also the most the node promises.
    for (const r of ['memory', 'cpu'])
      need(limits?.[r] !== undefined && requests?.[r] === limits[r], `${at} ${r} requests = limits`);
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    const tmpVolume = spec?.volumes?.find((v) => v.name === tmp?.name);
    need(
      tmpVolume?.emptyDir?.medium === 'Memory' && tmpVolume.emptyDir.sizeLimit !== undefined,
      `${at} /tmp on a size-limited memory emptyDir`,
    );
    for (const m of c.volumeMounts ?? [])
      need(m.mountPath === '/tmp' || m.readOnly === true, `${at} ${m.mountPath} read-only`);
  }
  return problems;
}

/** The NetworkPolicy must select every sandbox pod and allow nothing in or out. */
export function networkPolicyProblems(policy: V1NetworkPolicy): string[] {
  const problems: string[] = [];
  const spec = policy.spec;
  if (
    spec?.podSelector?.matchLabels?.[SANDBOX_POD_LABEL] !== 'true' ||
    spec.podSelector.matchExpressions?.length
  )
    problems.push(`podSelector ${SANDBOX_POD_LABEL}=true only`);
  for (const type of ['Ingress', 'Egress'] as const) {
    if (!spec?.policyTypes?.includes(type)) problems.push(`policyTypes includes ${type}`);
    const rules = type === 'Ingress' ? spec?.ingress : spec?.egress;
    if ((rules ?? []).length > 0) problems.push(`no ${type.toLowerCase()} rules`);
  }
  return problems;
}
