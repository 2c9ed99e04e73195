import type { StorageUse, StorageView } from '@atrium/protocol';
import type { AccountRecord } from '../accounts/AccountStore.js';
import type { Services } from '../services.js';

/** `GET /api/settings/storage`: the user's storage, their organizations', and their demo uploads. */
export async function storageReport(services: Services, user: AccountRecord): Promise<StorageView> {
  const quotaBytes = services.config.storageQuotaBytes;
  const use = async (account: AccountRecord): Promise<StorageUse> => ({
    name: account.name,
    usedBytes: (await services.hub.repos.storageUsage(account.id)).usedBytes,
    quotaBytes,
  });
  const memberships = await services.accounts.membershipsOfUser(user.id);
  return {
    storage: await use(user),
    organizations: await Promise.all(memberships.map((m) => use(m.org))),
    demoUploads: {
      usedBytes: services.gradio.uploadQuota?.usage(user.id) ?? 0,
      quotaBytes: services.config.demoUploadQuotaBytes,
    },
  };
}
