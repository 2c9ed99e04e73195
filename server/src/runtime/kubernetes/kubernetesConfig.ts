import path from 'node:path';
import { z } from 'zod';

/** Where sandboxes run: the local (or DOCKER_HOST's) Docker engine, or a Kubernetes namespace. */
export type SandboxDriverConfig = { kind: 'docker' } | KubernetesConfig;

export interface KubernetesConfig {
  kind: 'kubernetes';
  /** A kubeconfig file; unset: `KUBECONFIG`, `~/.kube/config`, then the pod's service account. */
  kubeconfig: string | undefined;
  /** Unset: the kubeconfig context's namespace, else `default`. */
  namespace: string | undefined;
  /** The sandbox image as the cluster's nodes pull it (no image is built on a cluster). */
  image: string;
  /** The Python sandbox image; unset: Python kernels are unavailable. */
  pythonImage: string | undefined;
  /** The RuntimeClass of gVisor, asked for when `ATRIUM_SANDBOX_RUNTIME=runsc`. */
  gvisorRuntimeClass: string;
  /** `activeDeadlineSeconds` of every sandbox pod. */
  activeDeadlineSeconds: number;
  /** A ReadWriteMany claim holding the model views; with `volumesDir`, where this server mounts it. */
  volumesClaim: string | undefined;
  volumesDir: string | undefined;
  /** How long a pod may take to run (scheduling, image pull). */
  startTimeoutMs: number;
}

/** Kubernetes object names: DNS-1123 labels or subdomains. */
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const KubernetesEnv = z.object({
  ATRIUM_SANDBOX_DRIVER: z.enum(['docker', 'kubernetes']).default('docker'),
  ATRIUM_K8S_KUBECONFIG: z.string().min(1).optional(),
  ATRIUM_K8S_NAMESPACE: z.string().regex(DNS_NAME, 'a namespace name').max(63).optional(),
  ATRIUM_K8S_IMAGE: z.string().min(1).optional(),
  ATRIUM_K8S_PYTHON_IMAGE: z.string().min(1).optional(),
  ATRIUM_K8S_GVISOR_RUNTIME_CLASS: z.string().regex(DNS_NAME, 'a RuntimeClass name').default('gvisor'),
  ATRIUM_K8S_POD_DEADLINE_S: z.coerce.number().int().min(60).default(86_400),
  ATRIUM_K8S_VOLUMES_CLAIM: z.string().regex(DNS_NAME, 'a PersistentVolumeClaim name').optional(),
  ATRIUM_K8S_VOLUMES_DIR: z.string().min(1).optional(),
  ATRIUM_K8S_START_TIMEOUT_S: z.coerce.number().int().positive().max(3600).default(120),
});

/** The sandbox driver settings from the environment; errors name the variable, as loadConfig's do. */
export function sandboxDriverConfig(env: NodeJS.ProcessEnv): SandboxDriverConfig {
  const parsed = KubernetesEnv.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = parsed.data;
  if (e.ATRIUM_SANDBOX_DRIVER === 'docker') return { kind: 'docker' };
  if (!e.ATRIUM_K8S_IMAGE)
    throw new Error('Invalid configuration: ATRIUM_SANDBOX_DRIVER=kubernetes needs ATRIUM_K8S_IMAGE');
  if (!e.ATRIUM_K8S_VOLUMES_CLAIM !== !e.ATRIUM_K8S_VOLUMES_DIR)
    throw new Error(
      'Invalid configuration: set both ATRIUM_K8S_VOLUMES_CLAIM and ATRIUM_K8S_VOLUMES_DIR, or neither',
    );
  return {
    kind: 'kubernetes',
    kubeconfig: e.ATRIUM_K8S_KUBECONFIG,
    namespace: e.ATRIUM_K8S_NAMESPACE,
    image: e.ATRIUM_K8S_IMAGE,
    pythonImage: e.ATRIUM_K8S_PYTHON_IMAGE,
    gvisorRuntimeClass: e.ATRIUM_K8S_GVISOR_RUNTIME_CLASS,
    activeDeadlineSeconds: e.ATRIUM_K8S_POD_DEADLINE_S,
    volumesClaim: e.ATRIUM_K8S_VOLUMES_CLAIM,
    volumesDir: e.ATRIUM_K8S_VOLUMES_DIR ? path.resolve(e.ATRIUM_K8S_VOLUMES_DIR) : undefined,
    startTimeoutMs: e.ATRIUM_K8S_START_TIMEOUT_S * 1000,
  };
}
