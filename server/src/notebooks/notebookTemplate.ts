import fs from 'node:fs';
import path from 'node:path';
import { NOTEBOOK_FILE } from '@atrium/protocol';
import { hasTemplate, templatesDir } from '../spaces/runtime/templates.js';

/** A notebook template's files: its notebook (parsed) and its card, without the Space keys. */
export interface NotebookTemplate {
  ipynb: unknown;
  /** README.md for the new repository, so search and task filters find it as they find the template. */
  card: string | null;
}

/** The card of a notebook made from a template: the template's, without the keys only a Space has. */
export function notebookCard(readme: string): string {
  return readme.replace(/^(sdk|app_file|pinned):.*\n/gm, '');
}

/**
 * The notebook template called `name`, or undefined when there is none: only a name `hasTemplate`
 * accepts (a plain folder name) is read, so a name never reaches the file system as a path.
 */
export function notebookTemplate(name: string, dir = templatesDir()): NotebookTemplate | undefined {
  if (!hasTemplate(name, 'notebook', dir)) return undefined;
  const folder = path.join(dir, name);
  const readme = path.join(folder, 'README.md');
  return {
    ipynb: JSON.parse(fs.readFileSync(path.join(folder, NOTEBOOK_FILE), 'utf8')) as unknown,
    card: fs.existsSync(readme) ? notebookCard(fs.readFileSync(readme, 'utf8')) : null,
  };
}
