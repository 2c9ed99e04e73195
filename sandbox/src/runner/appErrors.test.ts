import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appErrorLocation, appStack, describeAppError } from './appErrors.js';
import { prepareAppFiles } from './appFiles.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-app-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the app as app mode does and imports its entry with source maps on; returns what it threw. */
async function thrownBy(name: string, files: Record<string, string>, entry: string): Promise<unknown> {
  const root = path.join(dir, name);
  const prepared = prepareAppFiles(
    Object.entries(files).map(([p, t]) => ({ path: p, bytes: Buffer.from(t) })),
  );
  for (const f of prepared) {
    fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    fs.writeFileSync(path.join(root, f.path), f.bytes);
  }
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  process.setSourceMapsEnabled(true);
  try {
    await import(pathToFileURL(path.join(root, entry)).href);
  } catch (err) {
    return err;
  }
  throw new Error('the app did not throw');
}

describe('errors of a Space app', () => {
  it("name the line of the author's TypeScript, not the built .mjs", async () => {
    const app = [
      'interface Shape {',
      '  sides: number;',
      '}',
      'const square: Shape = { sides: 4 };',
      '',
      'throw new Error(`no luck with ${square.sides} sides`);',
      '',
    ].join('\n');
    const err = await thrownBy('top', { 'app.ts': app }, 'app.mjs');
    const root = path.join(dir, 'top');
    expect(appErrorLocation(err, root)).toBe('app.ts:6:7');
    expect(describeAppError(err, root)).toBe('no luck with 4 sides (app.ts:6:7)');
    expect(appStack(err, root)).toContain('at app.ts:6:7');
    expect(appStack(err, root)).not.toContain('.mjs');
    expect(appStack(err, root)).not.toContain('node:internal');
  });

  it('point into the imported module that threw, with its folder', async () => {
    const err = await thrownBy(
      'nested',
      {
        'app.ts': "import { parse } from './lib/parse';\n\nexport default parse('{');\n",
        'lib/parse.ts': [
          'type Parsed = { ok: boolean };',
          'export function parse(text: string): Parsed {',
          '  const value: unknown = JSON.parse(text);',
          '  return { ok: value !== null };',
          '}',
        ].join('\n'),
      },
      'app.mjs',
    );
    expect(describeAppError(err, path.join(dir, 'nested'))).toMatch(
      /^SyntaxError: .+ \(lib\/parse\.ts:3:\d+\)$/,
    );
  });

  it('say only the message when no frame is in the app', () => {
    const err = new Error('app.ts: the default export must be a demo(...)');
    expect(describeAppError(err, path.join(dir, 'none'))).toBe(
      'app.ts: the default export must be a demo(...)',
    );
    expect(describeAppError('a string', dir)).toBe('a string');
  });

  it('describe whatever the app threw without throwing: a stack that is no string, an unprintable value', () => {
    const err = new Error('broken');
    Object.defineProperty(err, 'stack', { value: 42 });
    expect(appStack(err, dir)).toBe('broken');
    const unprintable = Object.create(null);
    expect(appStack(unprintable, dir)).toMatch(/cannot be shown/);
    expect(describeAppError(unprintable, dir)).toMatch(/cannot be shown/);
  });
});
