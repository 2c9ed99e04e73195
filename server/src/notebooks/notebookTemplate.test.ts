import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notebookTemplate } from './notebookTemplate.js';

describe('notebookTemplate', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A templates folder with a notebook template, a Space-only template and a notebook outside it. */
  function templates(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-templates-'));
    dirs.push(root);
    const dir = path.join(root, 'templates');
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('templates/nb/README.md', '---\ntitle: NB\nsdk: static\n---\nA notebook\n');
    write('templates/nb/notebook.ipynb', '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}');
    write('templates/space-only/README.md', '---\nsdk: static\n---\n');
    write('outside/README.md', '---\ntitle: Outside\n---\n');
    write('outside/notebook.ipynb', '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}');
    return dir;
  }

  it('reads a notebook template by name, its card without the Space keys', () => {
    const template = notebookTemplate('nb', templates());
    expect(template?.ipynb).toMatchObject({ nbformat: 4 });
    expect(template?.card).toBe('---\ntitle: NB\n---\nA notebook\n');
  });

  it('knows no template by a name that is a path, hidden, or a template without a notebook', () => {
    const dir = templates();
    for (const name of ['../outside', 'nb/', '.', '..', '.nb', 'nb/../nb', 'space-only', 'missing', ''])
      expect(notebookTemplate(name, dir), name).toBeUndefined();
  });
});
