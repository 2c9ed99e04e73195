import fs from 'node:fs/promises';
import { splitRepoId } from '../hub/access.js';
import type { Services } from '../services.js';
import type { DocumentSeeder } from './DocumentSeeder.js';
import { seedsFrom, type TextFile } from './documentFiles.js';

// Binary files and big files stay in the repository only; live editing is for source text.
const MAX_SEED_FILE_BYTES = 1024 * 1024;

/** Seeds a live document from the text files of its repository's main branch. */
export function hubDocumentSeeder(services: Services): DocumentSeeder {
  return {
    async filesOf(doc) {
      const parts = splitRepoId(doc.repoId);
      const repo = parts && (await services.hub.repos.find(doc.kind, parts.owner, parts.name));
      if (!repo) return [];
      const commit = await services.hub.repos.resolveRevision(repo.id, 'main');
      if (!commit) return [];
      const files: TextFile[] = [];
      for (const entry of await services.hub.repos.entries(commit, '')) {
        if (entry.lfs || entry.size > MAX_SEED_FILE_BYTES || !seedsFrom(doc.kind, entry.path)) continue;
        const bytes = await fs.readFile(services.hub.blobs.pathOf(entry.sha256));
        if (bytes.includes(0)) continue;
        const content = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        if (content.includes('\uFFFD')) continue;
        files.push({ path: entry.path, content });
      }
      return files;
    },
  };
}
