import type {
  CommitView,
  CompleteReplyContent,
  InspectReplyContent,
  NotebookCreateRequest,
  NotebookKernelStatus,
  NotebookSessionView,
  RepoInfoView,
  TemplateView,
} from '@atrium/protocol';
import { api } from '../../api';

const base = (id: string) => `/api/notebooks/${id}`;

/** The notebook routes (server/src/notebooks) and the hub routes a notebook page uses. */
export const notebookApi = {
  info: (id: string) => api<RepoInfoView>('GET', base(id)),
  templates: () => api<TemplateView[]>('GET', '/api/templates'),
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
    api<{ commitOid: string }>('POST', `/api/collab/notebooks/${id}/save`, { message }),
  history: (id: string) => api<CommitView[]>('GET', `${base(id)}/commits/main`),
  rename: (from: string, to: string) =>
    api<unknown>('POST', '/api/repos/move', { fromRepo: from, toRepo: to, type: 'notebook' }),
  remove: (id: string) => {
    const [organization, name] = id.split('/');
    return api<unknown>('DELETE', '/api/repos/delete', { name, organization, type: 'notebook' });
  },
  fork: (id: string, repository: string) =>
    api<{ url: string }>('POST', `${base(id)}/duplicate`, { repository }),
  exportUrl: (id: string) => `${base(id)}/export`,
};
