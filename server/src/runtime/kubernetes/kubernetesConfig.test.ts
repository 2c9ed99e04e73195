import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';

describe('the sandbox driver settings', () => {
  it('runs sandboxes on Docker unless told otherwise', () => {
    expect(loadConfig({}).sandboxDriver).toEqual({ kind: 'docker' });
  });

  it('reads every Kubernetes setting, with defaults for the optional ones', () => {
    const config = loadConfig({
      ATRIUM_SANDBOX_DRIVER: 'kubernetes',
      ATRIUM_K8S_IMAGE: 'registry.example/atrium-sandbox:0123456789ab',
      ATRIUM_K8S_NAMESPACE: 'atrium-sandboxes',
      ATRIUM_K8S_VOLUMES_CLAIM: 'atrium-volumes',
      ATRIUM_K8S_VOLUMES_DIR: '/srv/volumes',
    });
    expect(config.sandboxDriver).toEqual({
      kind: 'kubernetes',
      kubeconfig: undefined,
      namespace: 'atrium-sandboxes',
      image: 'registry.example/atrium-sandbox:0123456789ab',
      pythonImage: undefined,
      gvisorRuntimeClass: 'gvisor',
      activeDeadlineSeconds: 86_400,
      volumesClaim: 'atrium-volumes',
      volumesDir: '/srv/volumes',
      startTimeoutMs: 120_000,
    });
  });

  it.each([
    [{}, /needs ATRIUM_K8S_IMAGE/],
    [
      { ATRIUM_K8S_IMAGE: 'x', ATRIUM_K8S_VOLUMES_CLAIM: 'atrium-volumes' },
      /ATRIUM_K8S_VOLUMES_CLAIM and ATRIUM_K8S_VOLUMES_DIR/,
    ],
    [{ ATRIUM_K8S_IMAGE: 'x', ATRIUM_K8S_NAMESPACE: 'Not_A_Namespace' }, /ATRIUM_K8S_NAMESPACE/],
    [{ ATRIUM_K8S_IMAGE: 'x', ATRIUM_K8S_POD_DEADLINE_S: '5' }, /ATRIUM_K8S_POD_DEADLINE_S/],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig({ ATRIUM_SANDBOX_DRIVER: 'kubernetes', ...env })).toThrow(message);
  });

  it('refuses a driver it does not know', () => {
    expect(() => loadConfig({ ATRIUM_SANDBOX_DRIVER: 'nomad' })).toThrow(/ATRIUM_SANDBOX_DRIVER/);
  });
});
