import { randomInt } from 'node:crypto';

/** Sandbox users are drawn from here: far above any uid the host (or the image) gives a name. */
const SANDBOX_UID_MIN = 100_000;
const SANDBOX_UID_MAX = 2 ** 30;

/** A uid no other sandbox uses (collisions are negligible in a range of a billion); Kubernetes draws too. */
export const sandboxUid = () => randomInt(SANDBOX_UID_MIN, SANDBOX_UID_MAX);

/** The uid:gid of a sandbox of its own. */
export const sandboxUser = () => {
  const id = sandboxUid();
  return `${id}:${id}`;
};
