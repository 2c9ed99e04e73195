import { createRequire } from 'node:module';
import * as acorn from 'acorn';
import { mimeConstructors } from './display.js';

// sucrase takes ~100 ms to load: only TypeScript cells pay for it, not every kernel start.
const require = createRequire(import.meta.url);
const stripTypes = (source: string): string =>
  (require('sucrase') as typeof import('sucrase')).transform(source, {
    transforms: ['typescript'],
    disableESTransforms: true,
    keepUnusedImports: true,
  }).code;

/** The name under which the kernel exposes `import()` to cells (top-level `import` statements use it). */
export const IMPORT_HELPER = '__atriumImport';

type Node = acorn.AnyNode;

/** Names bound by a declaration pattern: `a`, `{ b, c: d }`, `[e, ...f]`. */
function boundNames(pattern: acorn.Pattern, into: string[]): string[] {
  switch (pattern.type) {
    case 'Identifier':
      into.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) boundNames(p.type === 'RestElement' ? p.argument : p.value, into);
      break;
    case 'ArrayPattern':
      for (const p of pattern.elements) if (p) boundNames(p, into);
      break;
    case 'RestElement':
      boundNames(pattern.argument, into);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left, into);
      break;
    default:
      break;
  }
  return into;
}

function rewriteImport(node: acorn.ImportDeclaration, source: string, hoisted: Set<string>): string {
  const from = `(await ${IMPORT_HELPER}(${source.slice(node.source.start, node.source.end)}))`;
  if (node.specifiers.length === 0) return `${from};`;
  const parts: string[] = [];
  for (const s of node.specifiers) {
    hoisted.add(s.local.name);
    if (s.type === 'ImportNamespaceSpecifier') parts.push(`${s.local.name} = __m;`);
    else if (s.type === 'ImportDefaultSpecifier')
      parts.push(`${s.local.name} = ('default' in __m ? __m.default : __m);`);
    else {
      const imported = s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);
      parts.push(`${s.local.name} = __m[${JSON.stringify(imported)}];`);
    }
  }
  return `{ const __m = ${from}; ${parts.join(' ')} }`;
}

/** Rewrites one top-level statement so its bindings land on the kernel's global object. */
function rewriteStatement(node: Node, source: string, hoisted: Set<string>, functions: string[]): string {
  const text = source.slice(node.start, node.end);
  if (node.type === 'VariableDeclaration') {
    const assignments: string[] = [];
    for (const d of node.declarations) {
      for (const name of boundNames(d.id, [])) hoisted.add(name);
      const target = source.slice(d.id.start, d.id.end);
      const value = d.init ? source.slice(d.init.start, d.init.end) : 'undefined';
      assignments.push(`(${target} = ${value});`);
    }
    return assignments.join(' ');
  }
  if (node.type === 'FunctionDeclaration' && node.id) {
    hoisted.add(node.id.name);
    // Left in place (so its lines stay the cell's lines) and hoisted within the cell by JavaScript
    // itself; published as a global before any other statement runs, so later cells see it.
    functions.push(`globalThis.${node.id.name} = ${node.id.name};`);
    return text;
  }
  if (node.type === 'ClassDeclaration' && node.id) {
    hoisted.add(node.id.name);
    return `${node.id.name} = ${text};`;
  }
  if (node.type === 'ImportDeclaration') return rewriteImport(node, source, hoisted);
  return text;
}

/** Start offsets of every `import(...)` expression in a syntax tree. */
function dynamicImports(node: unknown, found: number[] = []): number[] {
  if (Array.isArray(node)) {
    for (const child of node) dynamicImports(child, found);
  } else if (node && typeof node === 'object') {
    const n = node as { type?: string; start?: number };
    if (n.type === 'ImportExpression' && typeof n.start === 'number') found.push(n.start);
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'loc' && value && typeof value === 'object') dynamicImports(value, found);
    }
  }
  return found;
}

const parse = (js: string) =>
  acorn.parse(js, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
    allowHashBang: true,
  });

export interface TransformedCell {
  /** A script whose completion value is a promise of the cell's last expression. */
  code: string;
  /**
   * Give this to `vm.Script` as `columnOffset`: the script keeps every line of the cell on the same
   * line, and adds its prologue before the first, so stack traces name the line and column the
   * person sees in the cell.
   */
  columnOffset: number;
}

const RETURN = 'return (';

/** A rewritten statement padded to as many lines as it had, so later lines keep their numbers. */
function sameLines(original: string, rewritten: string): string {
  const missing = newlines(original) - newlines(rewritten);
  return missing > 0 ? rewritten + '\n'.repeat(missing) : rewritten;
}
const newlines = (text: string) => text.split('\n').length - 1;

/** The names `display.html(…)`, `display.png(…)` and so on build a bundle under (display.ts). */
const DISPLAY_BUILDERS = new Set(Object.keys(mimeConstructors));

/**
 * Where a `display.<builder>(…)` call stands alone as a statement, its value would be thrown away:
 * those calls are shown, as IPython's `display_png(…)` is (start and end offsets of each call). The
 * cell's last statement is left alone: it is the cell's result, shown once as such.
 */
function discardedDisplays(program: acorn.Program): [number, number][] {
  const last = program.body.at(-1);
  const found: [number, number][] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as acorn.AnyNode;
    if (n.type === 'ExpressionStatement' && n !== last && isDisplayBuilderCall(n.expression))
      found.push([n.expression.start, n.expression.end]);
    for (const [key, value] of Object.entries(node))
      if (key !== 'loc' && value && typeof value === 'object') visit(value);
  };
  visit(program.body);
  return found;
}

function isDisplayBuilderCall(e: acorn.Expression): boolean {
  const callee = e.type === 'AwaitExpression' ? null : e.type === 'CallExpression' ? e.callee : null;
  return (
    callee?.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'display' &&
    callee.property.type === 'Identifier' &&
    DISPLAY_BUILDERS.has(callee.property.name)
  );
}

/**
 * Turns a notebook cell into a script for a persistent vm context: top-level declarations become
 * globals (so later cells see them and re-running a cell never says "already declared"), top-level
 * await works, the last expression is the result, and TypeScript types are stripped by sucrase.
 */
export function transformCell(
  source: string,
  language: 'javascript' | 'typescript' = 'javascript',
): TransformedCell {
  let js = language === 'typescript' ? stripTypes(source) : source;
  let program = parse(js);
  // import() inside a vm script resolves from the working directory; route it through the kernel.
  const imports = dynamicImports(program.body).sort((a, b) => b - a);
  if (imports.length > 0) {
    for (const at of imports) js = `${js.slice(0, at)}${IMPORT_HELPER}${js.slice(at + 'import'.length)}`;
    program = parse(js);
  }
  const displays = discardedDisplays(program).sort((a, b) => b[0] - a[0]);
  if (displays.length > 0) {
    for (const [start, end] of displays)
      js = `${js.slice(0, start)}display(${js.slice(start, end)})${js.slice(end)}`;
    program = parse(js);
  }
  const hoisted = new Set<string>();
  const functions: string[] = [];
  let resultPrefix = 0;
  const body: string[] = [];
  const statements = program.body;
  let cursor = 0;
  statements.forEach((node, i) => {
    const gap = js.slice(cursor, node.start);
    cursor = node.end;
    const last = i === statements.length - 1;
    if (last && node.type === 'ExpressionStatement') {
      const expression = js.slice(node.expression.start, node.expression.end);
      // `return (` goes before the line break that precedes the result, so its line is not shifted;
      // on the first line, in front of everything, it counts as part of the prologue.
      if (gap.includes('\n')) body.push(`return (${gap}${expression});`);
      else {
        if (i === 0 && gap.trim() === '') resultPrefix = RETURN.length;
        body.push(`${gap}${RETURN}${expression});`);
      }
      return;
    }
    if (
      node.type === 'ExportNamedDeclaration' ||
      node.type === 'ExportDefaultDeclaration' ||
      node.type === 'ExportAllDeclaration'
    ) {
      throw new SyntaxError('export is not supported in a notebook cell');
    }
    body.push(
      gap + sameLines(js.slice(node.start, node.end), rewriteStatement(node, js, hoisted, functions)),
    );
  });
  body.push(js.slice(cursor));
  // The prologue stays on the cell's first line: no line moves, only the first line's columns.
  const declare = hoisted.size > 0 ? `var ${[...hoisted].join(', ')}; ` : '';
  const prologue = `${declare}(async () => {${functions.join(' ')} `;
  return { code: `${prologue}${body.join('')}\n})()`, columnOffset: -(prologue.length + resultPrefix) };
}
