import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import 'highlight.js/styles/github.css';

for (const [name, lang] of Object.entries({
  bash,
  css,
  javascript,
  json,
  markdown,
  python,
  typescript,
  xml,
  yaml,
})) {
  hljs.registerLanguage(name, lang);
}

const BY_EXTENSION: Record<string, string> = {
  sh: 'bash',
  css: 'css',
  js: 'javascript',
  mjs: 'javascript',
  jsx: 'javascript',
  json: 'json',
  ipynb: 'json',
  md: 'markdown',
  py: 'python',
  ts: 'typescript',
  tsx: 'typescript',
  html: 'xml',
  xml: 'xml',
  svg: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
  gitattributes: 'bash',
};

/** Highlighted HTML for a file's text (highlight.js escapes the source), chosen by its extension. */
export function highlightCode(path: string, text: string): string {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  const language = BY_EXTENSION[ext];
  if (language) return hljs.highlight(text, { language, ignoreIllegals: true }).value;
  return hljs.highlightAuto(text, Object.values(BY_EXTENSION)).value;
}
