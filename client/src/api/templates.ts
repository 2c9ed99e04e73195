import type { TemplateView } from '@atrium/protocol';
import { api } from './request';

/** Every Space and notebook template (GET /api/templates): the New Space and New notebook pages pick theirs. */
export const listTemplates = () => api<TemplateView[]>('GET', '/api/templates');
