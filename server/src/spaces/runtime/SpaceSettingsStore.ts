/** A variable or secret of a Space, as stored. */
export interface SpaceEnvEntry {
  key: string;
  value: string;
  description: string | null;
  updatedAt: string;
}

export type SpaceEnvKind = 'variable' | 'secret';

/** Per-Space settings by repository id; asynchronous so another database could stand behind it. */
export interface SpaceSettingsStore {
  /** Seconds of idleness before sleeping: undefined = the default, null = never. */
  sleepSeconds(repoId: string): Promise<number | null | undefined>;
  setSleepSeconds(repoId: string, seconds: number | null): Promise<void>;
  paused(repoId: string): Promise<boolean>;
  setPaused(repoId: string, paused: boolean): Promise<void>;
  env(repoId: string, kind: SpaceEnvKind): Promise<SpaceEnvEntry[]>;
  putEnv(repoId: string, kind: SpaceEnvKind, entry: SpaceEnvEntry): Promise<void>;
  /** False when there was no such key. */
  deleteEnv(repoId: string, kind: SpaceEnvKind, key: string): Promise<boolean>;
  /** Duplicating a Space copies its variables (never its secrets) and its sleep time; what the copy already has wins. */
  copyPublicSettings(fromRepoId: string, toRepoId: string): Promise<void>;
}
