import { api } from '../../api/request';

/** The Hub's Space stages (GET /api/spaces/{id}/runtime). */
export type SpaceStage =
  | 'NO_APP_FILE'
  | 'CONFIG_ERROR'
  | 'BUILDING'
  | 'BUILD_ERROR'
  | 'RUNNING'
  | 'RUNNING_BUILDING'
  | 'RUNTIME_ERROR'
  | 'STOPPED'
  | 'PAUSED'
  | 'SLEEPING';

/** A Space's runtime in the Hub's shape. */
export interface SpaceRuntime {
  stage: SpaceStage;
  hardware: { current: string | null; requested: string | null };
  storage: null;
  gcTimeout: number | null;
  errorMessage?: string;
  sha?: string;
  replicas?: { current: number; requested: number };
}

/** A public variable of a Space. */
export interface SpaceVariable {
  value: string;
  description?: string;
  updatedAt?: string;
}

const base = (id: string) => `/api/spaces/${id}`;

/** Every Space runtime call the Space pages make (the Hub's paths). */
export const spaceApi = {
  runtime: (id: string) => api<SpaceRuntime>('GET', `${base(id)}/runtime`),
  restart: (id: string) => api<SpaceRuntime>('POST', `${base(id)}/restart`),
  pause: (id: string) => api<SpaceRuntime>('POST', `${base(id)}/pause`),
  setSleepTime: (id: string, seconds: number) =>
    api<SpaceRuntime>('POST', `${base(id)}/sleeptime`, { seconds }),
  variables: (id: string) => api<Record<string, SpaceVariable>>('GET', `${base(id)}/variables`),
  setVariable: (id: string, key: string, value: string, description?: string) =>
    api<unknown>('POST', `${base(id)}/variables`, { key, value, description }),
  deleteVariable: (id: string, key: string) => api<unknown>('DELETE', `${base(id)}/variables`, { key }),
  /** Secret names only (writers): values are never returned. */
  secrets: (id: string) =>
    api<Record<string, { description: string | null; updatedAt: string }>>('GET', `${base(id)}/secrets`),
  setSecret: (id: string, key: string, value: string, description?: string) =>
    api<unknown>('POST', `${base(id)}/secrets`, { key, value, description }),
  deleteSecret: (id: string, key: string) => api<unknown>('DELETE', `${base(id)}/secrets`, { key }),
  fromTemplate: (body: { template: string; name: string; organization?: string; private?: boolean }) =>
    api<{ id?: string; name?: string; url?: string }>('POST', '/api/spaces/from-template', body),
  /** Commits the live files (the Files tab's Save). */
  save: (id: string, message?: string) =>
    api<{ commitOid: string; files: string[] }>('POST', `/api/collab/spaces/${id}/save`, { message }),
};

/** Stages in which the app answers calls. */
export const isRunning = (stage: SpaceStage | undefined) =>
  stage === 'RUNNING' || stage === 'RUNNING_BUILDING';
/** Stages that will change on their own, so the page keeps asking. */
export const isTransient = (stage: SpaceStage | undefined) =>
  stage === undefined || stage === 'BUILDING' || stage === 'RUNNING_BUILDING';
