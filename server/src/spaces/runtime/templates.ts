import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KernelLanguage, notebookLanguage, type TemplateView } from '@atrium/protocol';
import { parseCardData } from '../../hub/cardData.js';

/** The repository's templates/ folder (server/dist/spaces/runtime → ../../../../templates), or ATRIUM_TEMPLATES_DIR. */
export function templatesDir(): string {
  return (
    process.env.ATRIUM_TEMPLATES_DIR ??
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../templates')
  );
}

const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

/** A notebook template's kernel language; null when its file does not parse (it is listed all the same). */
function templateLanguage(file: string): KernelLanguage | null {
  try {
    return notebookLanguage((JSON.parse(fs.readFileSync(file, 'utf8')) as { metadata?: unknown }).metadata);
  } catch {
    return null;
  }
}

/** One template folder: its card and whether it holds a Space, a notebook, or both. */
function readTemplate(dir: string, name: string): TemplateView[] {
  const folder = path.join(dir, name);
  const readme = path.join(folder, 'README.md');
  if (!fs.existsSync(readme)) return [];
  const card = parseCardData(fs.readFileSync(readme, 'utf8')) ?? {};
  const base = {
    name,
    title: str(card.title, name),
    emoji: str(card.emoji, '✨'),
    colorFrom: str(card.colorFrom, 'gray'),
    colorTo: str(card.colorTo, 'blue'),
    short_description: str(card.short_description),
  };
  const out: TemplateView[] = [];
  if (typeof card.sdk === 'string') out.push({ ...base, kind: 'space', sdk: card.sdk });
  const notebook = path.join(folder, 'notebook.ipynb');
  if (fs.existsSync(notebook)) {
    out.push({ ...base, kind: 'notebook', sdk: null, language: templateLanguage(notebook) });
  }
  return out;
}

/** Every template, Spaces first, by name. */
export function listTemplates(dir = templatesDir()): TemplateView[] {
  if (!fs.existsSync(dir)) return [];
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort();
  const all = names.flatMap((n) => readTemplate(dir, n));
  return [...all.filter((t) => t.kind === 'space'), ...all.filter((t) => t.kind === 'notebook')];
}

/** A folder name `listTemplates` could report: no separators, no leading dot, so never a path. */
const TEMPLATE_NAME = /^[A-Za-z0-9_][\w.-]*$/;

/** Whether `name` is a template of `kind`, reading only that template's folder (not every template). */
export function hasTemplate(name: string, kind: TemplateView['kind'], dir = templatesDir()): boolean {
  if (!TEMPLATE_NAME.test(name) || name === 'node_modules') return false;
  return readTemplate(dir, name).some((t) => t.kind === kind);
}

/** The files a Space made from `name` starts with (the notebook stays out); undefined if it has no Space. */
export function spaceTemplateFiles(
  name: string,
  dir = templatesDir(),
): { sdk: string; files: { path: string; content: Buffer }[] } | undefined {
  const template = listTemplates(dir).find((t) => t.name === name && t.kind === 'space');
  if (!template?.sdk) return undefined;
  const folder = path.join(dir, name);
  const files: { path: string; content: Buffer }[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(folder, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name !== 'notebook.ipynb')
        files.push({ path: p, content: fs.readFileSync(path.join(folder, p)) });
    }
  };
  walk('');
  return { sdk: template.sdk, files };
}
