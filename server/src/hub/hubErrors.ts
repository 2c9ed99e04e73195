import { notFound } from '../errors.js';

/** The Hub's 404s carry `X-Error-Code`, which clients (fileExists, downloadFile) branch on. */
export const repoNotFound = (id: string) =>
  notFound(`Repository not found: ${id}`, 'repo_not_found', { 'X-Error-Code': 'RepoNotFound' });
export const revisionNotFound = (rev: string) =>
  notFound(`Invalid rev id: ${rev}`, 'revision_not_found', { 'X-Error-Code': 'RevisionNotFound' });
export const entryNotFound = (path: string) =>
  notFound(`Entry not found: ${path}`, 'entry_not_found', { 'X-Error-Code': 'EntryNotFound' });
