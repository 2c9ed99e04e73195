import {
  KERNEL_LANGUAGES,
  type KernelContentMap,
  type KernelMessage,
  type KernelMessageType,
  MODEL_ID_PATTERN,
} from '@atrium/protocol';
import { z } from 'zod';
import { type Checked, checkMessage } from '../sandboxOutput/checkMessage.js';

/**
 * What the server accepts from a runner, checked before anything reads it: the runner may be
 * compromised (the whole sandbox is), so a signed line is still only a claim. Unknown keys are
 * stripped; values the server only relays (MIME bundles, metadata) are left as JSON, whose depth
 * the line parser already bounded.
 */
const text = z.string();
const shortText = z.string().max(1024);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const json = z.record(z.string(), z.unknown());

const display = z.object({
  data: json,
  metadata: json.default({}),
  transient: z.object({ display_id: shortText.optional() }).optional(),
});

/** One schema per type the server reads; any other msg_type is refused. */
const contents = {
  status: z.object({ execution_state: z.enum(['busy', 'idle', 'starting', 'restarting', 'dead']) }),
  execute_input: z.object({ code: text, execution_count: count }),
  stream: z.object({ name: z.enum(['stdout', 'stderr']), text }),
  display_data: display,
  update_display_data: display,
  execute_result: display.extend({ execution_count: count }),
  error: z.object({ ename: text, evalue: text, traceback: z.array(text) }),
  clear_output: z.object({ wait: z.boolean() }),
  execute_reply: z.object({
    status: z.enum(['ok', 'error', 'aborted']),
    execution_count: count,
    ename: text.optional(),
    evalue: text.optional(),
    traceback: z.array(text).optional(),
  }),
  interrupt_reply: z.object({ status: z.literal('ok') }),
  shutdown_reply: z.object({ status: z.literal('ok'), restart: z.boolean() }),
  kernel_info_reply: z.object({
    status: z.literal('ok'),
    protocol_version: z.literal('5.3'),
    implementation: z.enum(['atrium-node', 'atrium-python']),
    implementation_version: shortText,
    language_info: z.object({
      name: z.enum(KERNEL_LANGUAGES),
      version: shortText,
      file_extension: shortText,
    }),
  }),
  complete_reply: z.object({
    status: z.literal('ok'),
    matches: z.array(shortText).max(1000),
    cursor_start: count,
    cursor_end: count,
  }),
  inspect_reply: z.object({ status: z.literal('ok'), found: z.boolean(), data: json }),
  atrium_model_request: z.object({ model_id: z.string().regex(MODEL_ID_PATTERN) }),
} satisfies { [T in KernelMessageType]?: z.ZodType<KernelContentMap[T], unknown> };

export type RunnerMessageType = keyof typeof contents;
const RUNNER_TYPES = Object.keys(contents) as [RunnerMessageType, ...RunnerMessageType[]];

const envelope = z.object({
  header: z.object({
    msg_id: shortText,
    msg_type: z.enum(RUNNER_TYPES),
    session: shortText.default(''),
    username: shortText.default(''),
    date: shortText.default(''),
  }),
  parent_header: z.object({ msg_id: shortText.optional(), msg_type: shortText.optional() }),
  metadata: json.default({}),
  content: z.unknown(),
});

/** Checks one parsed line from a runner: the envelope, then the content for its msg_type. */
export function checkRunnerMessage(value: unknown): Checked<KernelMessage> {
  const outer = checkMessage(envelope, value);
  if (!outer.ok) return outer;
  const { header, parent_header, metadata } = outer.value;
  const content = checkMessage(contents[header.msg_type], outer.value.content);
  if (!content.ok) return { ok: false, problem: `${header.msg_type} content.${content.problem}` };
  return {
    ok: true,
    value: {
      header: { ...header, version: '5.3' },
      parent_header: parent_header as KernelMessage['parent_header'],
      metadata,
      content: content.value,
    } as KernelMessage,
  };
}
