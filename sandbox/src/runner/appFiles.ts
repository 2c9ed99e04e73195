import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Loads the TypeScript stripper ahead of time: a warm sandbox does it while it waits for a Space. */
export function preloadTypeScript(): void {
  require('sucrase');
}

/** A file of the app as it will be written in the sandbox. */
export interface PreparedFile {
  path: string;
  bytes: Buffer;
}

/** A TypeScript file the app could not be built from, with the reason (sucrase's message). */
export class AppBuildError extends Error {}

const TS = /\.(ts|mts|tsx)$/;

/** `app.ts` → `app.mjs`: what a TypeScript module of the app is imported as once its types are stripped. */
export const builtName = (file: string) => (TS.test(file) ? file.replace(TS, '.mjs') : file);

/** Rewrites relative specifiers that name a TypeScript module of the app (`./util`, `./util.ts`, `./util.js`). */
function rewriteSpecifiers(code: string, from: string, tsFiles: Set<string>): string {
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\2/g,
    (whole, lead: string, quote: string, spec: string) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      const stem = target.replace(/\.(ts|mts|tsx|js|mjs)$/, '');
      for (const candidate of [target, `${stem}.ts`, `${stem}.mts`, `${stem}.tsx`]) {
        if (tsFiles.has(candidate)) {
          const rel = path.posix.relative(path.posix.dirname(from), builtName(candidate));
          return `${lead}${quote}${rel.startsWith('.') ? rel : `./${rel}`}${quote}`;
        }
      }
      return whole;
    },
  );
}

/**
 * The map back to the author's file, inline: with source maps enabled (appMain), Node reports stack
 * frames as `app.ts:<line>` of what the author wrote, not the `.mjs` the sandbox runs. Rewriting
 * specifiers changes no line, so sucrase's map stays true.
 */
function inlineSourceMap(map: object | undefined, source: string): string {
  if (!map) return '';
  // The built file sits beside its source: the source's own name resolves to it.
  const json = JSON.stringify({ ...map, sources: [path.posix.basename(source)], sourceRoot: '' });
  return `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(json).toString('base64')}\n`;
}

/**
 * The app's files as they are written in the sandbox: TypeScript modules get their types stripped
 * (sucrase) and become `.mjs`, relative imports follow; everything else is written as it came.
 */
export function prepareAppFiles(files: { path: string; bytes: Buffer }[]): PreparedFile[] {
  const tsFiles = new Set(files.filter((f) => TS.test(f.path)).map((f) => f.path));
  const out: PreparedFile[] = [];
  let sucrase: typeof import('sucrase') | undefined;
  for (const f of files) {
    if (f.path.split('/').some((part) => part === '..' || part === '' || part === 'node_modules')) continue;
    out.push(f);
    if (!tsFiles.has(f.path)) continue;
    sucrase ??= require('sucrase') as typeof import('sucrase');
    let code: string;
    try {
      const built = builtName(f.path);
      const result = sucrase.transform(f.bytes.toString('utf8'), {
        transforms: f.path.endsWith('.tsx') ? ['typescript', 'jsx'] : ['typescript'],
        disableESTransforms: true,
        filePath: f.path,
        sourceMapOptions: { compiledFilename: path.posix.basename(built) },
      });
      code = rewriteSpecifiers(result.code, f.path, tsFiles) + inlineSourceMap(result.sourceMap, f.path);
    } catch (err) {
      throw new AppBuildError(`${f.path}: ${(err as Error).message}`);
    }
    out.push({ path: builtName(f.path), bytes: Buffer.from(code) });
  }
  return out;
}
