/** One account's storage against its quota (GET /api/settings/storage). */
export interface StorageUse {
  name: string;
  /** Distinct blobs the history of its repositories' branches names. */
  usedBytes: number;
  quotaBytes: number;
}

/** GET /api/settings/storage: the user's storage, their organizations', and their demo uploads. */
export interface StorageView {
  storage: StorageUse;
  organizations: StorageUse[];
  /** Files sent to Space apps' upload, held in memory for an hour, counted per person. */
  demoUploads: { usedBytes: number; quotaBytes: number };
}
