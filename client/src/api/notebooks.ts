import type {
  CollabSaveResult,
  CommitView,
  CompleteReplyContent,
  InspectReplyContent,
  NotebookCreateRequest,
  NotebookKernelStatus,
  NotebookSessionView,
} from '@atrium/protocol';
import { api } from './request';

const base = (id: string) => `/api/notebooks/${id}`;

/** The notebook routes (server/src/notebooks); the Hub's repository calls are `reposApi`'s. */
export const notebookApi = {
  session: (id: string) => api<NotebookSessionView>('GET', `${base(id)}/session`),
  run: (id: string, cells: string[]) => api<NotebookKernelStatus>('POST', `${base(id)}/run`, { cells }),
  runAll: (id: string) => api<NotebookKernelStatus>('POST', `${base(id)}/run`, { all: true }),
  interrupt: (id: string) => api<NotebookKernelStatus>('POST', `${base(id)}/interrupt`),
  restart: (id: string) => api<NotebookKernelStatus>('POST', `${base(id)}/restart`),
  complete: (id: string, code: string, cursor_pos: number) =>
    api<CompleteReplyContent>('POST', `${base(id)}/complete`, { code, cursor_pos }),
  inspect: (id: string, code: string, cursor_pos: number) =>
    api<InspectReplyContent>('POST', `${base(id)}/inspect`, { code, cursor_pos }),
  create: (body: NotebookCreateRequest) =>
    api<{ id: string; url: string }>('POST', '/api/notebooks/new', body),
  save: (id: string, message: string) =>
    api<CollabSaveResult>('POST', `/api/collab/notebooks/${id}/save`, { message }),
  history: (id: string) => api<CommitView[]>('GET', `${base(id)}/commits/main`),
  rename: (from: string, to: string) =>
    api<unknown>('POST', '/api/repos/move', { fromRepo: from, toRepo: to, type: 'notebook' }),
  exportUrl: (id: string) => `${base(id)}/export`,
};
