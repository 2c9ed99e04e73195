import type {
  CollabSaveResult,
  DemoDescription,
  SpaceRuntimeView,
  SpaceStage,
  SpaceVariablesView,
  TreeEntryView,
} from '@atrium/protocol';
import { spaceAppPath } from '@atrium/protocol';
import { api } from './request';

const base = (id: string) => `/api/spaces/${id}`;

/** Every Space runtime call the Space pages make (the Hub's paths). */
export const spaceApi = {
  runtime: (id: string) => api<SpaceRuntimeView>('GET', `${base(id)}/runtime`),
  restart: (id: string) => api<SpaceRuntimeView>('POST', `${base(id)}/restart`),
  pause: (id: string) => api<SpaceRuntimeView>('POST', `${base(id)}/pause`),
  setSleepTime: (id: string, seconds: number) =>
    api<SpaceRuntimeView>('POST', `${base(id)}/sleeptime`, { seconds }),
  variables: (id: string) => api<SpaceVariablesView>('GET', `${base(id)}/variables`),
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
    api<CollabSaveResult>('POST', `/api/collab/spaces/${id}/save`, { message }),
  /** Every file of the Space at main (the Files tab's tree before the live document has synced). */
  files: (id: string) => api<TreeEntryView[]>('GET', `${base(id)}/tree/main?recursive=true&limit=1000`),
  /** The running app's inputs and outputs (its generated UI and the Use via API snippets). */
  demo: (id: string) => api<DemoDescription>('GET', `${spaceAppPath(id)}/demo`),
};

/** Stages in which the app answers calls. */
export const isRunning = (stage: SpaceStage | undefined) =>
  stage === 'RUNNING' || stage === 'RUNNING_BUILDING';
/** Stages that will change on their own, so the page keeps asking. */
export const isTransient = (stage: SpaceStage | undefined) =>
  stage === undefined || stage === 'BUILDING' || stage === 'RUNNING_BUILDING';
