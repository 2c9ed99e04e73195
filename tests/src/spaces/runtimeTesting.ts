import type { SpaceRuntimeView, SpaceStage } from '@atrium/protocol';
import { bearer, type TestUser, waitFor } from '../harness/index.js';

/** JSON over HTTP with a user's token (or anonymously). */
export async function api(
  url: string,
  path: string,
  options: { method?: string; body?: unknown; user?: TestUser } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies by path and assert their shape
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.user ? bearer(options.user.token) : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}

/** Polls the runtime (a visit) until `accept` holds; fails with the last view otherwise. */
export function waitForRuntime(
  url: string,
  id: string,
  accept: (view: SpaceRuntimeView) => boolean,
  what: string,
  { user, ms = 60_000 }: { user?: TestUser; ms?: number } = {},
): Promise<SpaceRuntimeView> {
  return waitFor(
    async () => {
      const view = (await api(url, `/api/spaces/${id}/runtime`, { user })).body as SpaceRuntimeView;
      // Not there yet: the failure message carries the last view (stage, errorMessage, sha).
      if (!accept(view)) throw new Error(JSON.stringify(view));
      return view;
    },
    { what: `${id} ${what}`, timeout: ms, interval: 50 },
  );
}

/** Polls the runtime until the stage is one of `stages`. */
export const waitForStage = (url: string, id: string, stages: SpaceStage[], user?: TestUser, ms = 60_000) =>
  waitForRuntime(url, id, (view) => stages.includes(view.stage), `to reach ${stages.join('|')}`, {
    user,
    ms,
  });

/** Polls the runtime until it has built `commitOid` and ended in one of `stages`. */
export const waitForCommit = (url: string, id: string, commitOid: string, stages: SpaceStage[]) =>
  waitForRuntime(
    url,
    id,
    (view) => view.sha === commitOid && stages.includes(view.stage),
    `to reach ${stages.join('|')} on ${commitOid.slice(0, 12)}`,
  );

/** A Gradio `/call/<api>` round trip as curl does it; returns every event of its stream, in order. */
export async function callAppEvents(
  url: string,
  id: string,
  inputs: unknown[],
  apiName = 'predict',
  user?: TestUser,
): Promise<{ event: string | undefined; data: string | undefined }[]> {
  const base = `${url}/spaces/${id}/app/gradio_api/call/${apiName}`;
  const join = await api(url, base.slice(url.length), { body: { data: inputs }, user });
  if (join.status !== 200) throw new Error(`call ${id}: ${join.status} ${JSON.stringify(join.body)}`);
  const res = await fetch(`${base}/${join.body.event_id}`, { headers: user ? bearer(user.token) : {} });
  const text = await res.text();
  return [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1], data: m[2] }));
}

/** A Gradio `/call/<api>` round trip as curl does it; returns the final outputs (or throws the error event). */
export async function callApp(
  url: string,
  id: string,
  inputs: unknown[],
  apiName = 'predict',
  user?: TestUser,
) {
  const events = await callAppEvents(url, id, inputs, apiName, user);
  const last = events.at(-1);
  if (last?.event !== 'complete') throw new Error(`call ${id} ended with ${last?.event}: ${last?.data}`);
  return JSON.parse(last.data ?? 'null') as unknown[];
}

/** Commits files to a Space with the Hub's NDJSON commit API. */
export async function commitFiles(
  url: string,
  id: string,
  user: TestUser,
  files: Record<string, string>,
  summary = 'Update',
) {
  const lines = [
    { key: 'header', value: { summary, description: '' } },
    ...Object.entries(files).map(([path, content]) => ({
      key: 'file',
      value: { path, content: Buffer.from(content).toString('base64'), encoding: 'base64' },
    })),
  ];
  const res = await fetch(`${url}/api/spaces/${id}/commit/main`, {
    method: 'POST',
    headers: { ...bearer(user.token), 'content-type': 'application/x-ndjson' },
    body: lines.map((l) => JSON.stringify(l)).join('\n'),
  });
  if (res.status !== 200) throw new Error(`commit: ${res.status} ${await res.text()}`);
  return (await res.json()) as { commitOid: string };
}

/** Reads an SSE log stream until `until(lines)` holds or the time is up, then closes it. */
export async function readLog(
  url: string,
  id: string,
  kind: 'build' | 'run',
  until: (lines: string[]) => boolean,
  ms = 10_000,
): Promise<{ lines: string[]; raw: string; contentType: string | null }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const res = await fetch(`${url}/api/spaces/${id}/logs/${kind}`, { signal: controller.signal });
  let raw = '';
  const lines: string[] = [];
  try {
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
      lines.length = 0;
      for (const m of raw.matchAll(/^data: (.*)$/gm))
        lines.push((JSON.parse(m[1] ?? '{}') as { data: string }).data);
      if (until(lines)) break;
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { lines, raw, contentType: res.headers.get('content-type') };
}

/** A Space of `user`'s from the blank template (its app says "Hello, <name>!"), with `app` as its app.ts if given; its id. */
export async function spaceWithApp(url: string, user: TestUser, name: string, app?: string): Promise<string> {
  const made = await api(url, '/api/spaces/from-template', { body: { template: 'blank-space', name }, user });
  if (made.status !== 201) throw new Error(`Space ${name}: ${made.status} ${JSON.stringify(made.body)}`);
  const id = `${user.name}/${name}`;
  if (app) await commitFiles(url, id, user, { 'app.ts': app });
  return id;
}
