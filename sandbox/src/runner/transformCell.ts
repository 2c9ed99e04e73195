import { createRequire } from 'node:module';
import * as acorn from 'acorn';

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
    // Function declarations are hoisted: define them before any other statement runs.
    functions.push(`${node.id.name} = ${text};`);
    return '';
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
  const hoisted = new Set<string>();
  const functions: string[] = [];
  const body: string[] = [];
  const statements = program.body;
  let cursor = 0;
  statements.forEach((node, i) => {
    const gap = js.slice(cursor, node.start);
    cursor = node.end;
    const last = i === statements.length - 1;
    if (last && node.type === 'ExpressionStatement') {
      body.push(`${gap}return (${js.slice(node.expression.start, node.expression.end)});`);
      return;
    }
    if (
      node.type === 'ExportNamedDeclaration' ||
      node.type === 'ExportDefaultDeclaration' ||
      node.type === 'ExportAllDeclaration'
    ) {
      throw new SyntaxError('export is not supported in a notebook cell');
    }
    body.push(gap + rewriteStatement(node, js, hoisted, functions));
  });
  body.push(js.slice(cursor));
  const declare = hoisted.size > 0 ? `var ${[...hoisted].join(', ')};\n` : '';
  return { code: `${declare}(async () => {${functions.join('\n')}\n${body.join('')}\n})()` };
}
