import * as monaco from 'monaco-editor';
import editorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import cssWorker from 'monaco-editor/esm/vs/language/css/css.worker?worker';
import htmlWorker from 'monaco-editor/esm/vs/language/html/html.worker?worker';
import jsonWorker from 'monaco-editor/esm/vs/language/json/json.worker?worker';
import tsWorker from 'monaco-editor/esm/vs/language/typescript/ts.worker?worker';
import { useEffect, useRef } from 'react';
import { MonacoBinding } from 'y-monaco';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

// Monaco's language services run in workers; Vite bundles them (`?worker`), no CDN.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => {
    if (label === 'typescript' || label === 'javascript') return new tsWorker();
    if (label === 'json') return new jsonWorker();
    if (label === 'css' || label === 'scss' || label === 'less') return new cssWorker();
    if (label === 'html' || label === 'handlebars' || label === 'razor') return new htmlWorker();
    return new editorWorker();
  },
};

// A Space's imports (the demo SDK, transformers.js) resolve inside the sandbox, not here: check syntax only.
for (const defaults of [
  monaco.languages.typescript.typescriptDefaults,
  monaco.languages.typescript.javascriptDefaults,
]) {
  defaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
  defaults.setCompilerOptions({
    target: monaco.languages.typescript.ScriptTarget.ESNext,
    module: monaco.languages.typescript.ModuleKind.ESNext,
    allowNonTsExtensions: true,
  });
}

const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  json: 'json',
  md: 'markdown',
  html: 'html',
  css: 'css',
  py: 'python',
  yaml: 'yaml',
  yml: 'yaml',
};
const languageOf = (path: string) => LANGUAGES[path.split('.').pop()?.toLowerCase() ?? ''] ?? 'plaintext';

/**
 * Monaco bound to one file's Y.Text with y-monaco: edits merge live with everyone else's and the
 * others' cursors and selections show (named by RemoteCursorStyles).
 */
export function MonacoEditor({
  path,
  text,
  provider,
  readOnly,
}: {
  path: string;
  text: Y.Text;
  provider: WebsocketProvider;
  readOnly: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const model = monaco.editor.createModel('', languageOf(path));
    const editor = monaco.editor.create(host.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      readOnly,
      scrollBeyondLastLine: false,
    });
    const binding = new MonacoBinding(text, model, new Set([editor]), provider.awareness);
    provider.awareness.setLocalStateField('file', path);
    // `data-file` changes at render, before this effect swaps the editor: `data-ready` says which
    // file's editor takes the keys now (a click in between would land in the old, disposed one).
    const hostElement = host.current;
    hostElement.dataset.ready = path;
    return () => {
      delete hostElement.dataset.ready;
      binding.destroy();
      editor.dispose();
      model.dispose();
    };
  }, [path, text, provider, readOnly]);
  return <div className="monaco-host" ref={host} data-file={path} />;
}
