import type { DemoComponentConfig, DemoDescription, DemoHostReply } from '@atrium/protocol';
import { z } from 'zod';

/**
 * The replies a demo host may send (protocol/src/demo.ts), checked before the server reads them:
 * the host runs a stranger's app in a sandbox, so its description and outputs are claims. Sizes
 * are capped where the server keeps or repeats the value (component lists, names, choices).
 */
const name = z.string().min(1).max(128);
const prose = z.string().max(64 * 1024);
const finite = z.number().finite();
const base = { name, label: z.string().max(1024).optional(), info: z.string().max(4096).optional() };

const component = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('textbox'),
    ...base,
    value: z.string().optional(),
    lines: z.number().int().min(1).max(1000).optional(),
    placeholder: z.string().max(4096).optional(),
    maxLength: z.number().int().min(0).optional(),
  }),
  z.object({
    type: z.literal('number'),
    ...base,
    value: finite.optional(),
    minimum: finite.optional(),
    maximum: finite.optional(),
    precision: z.number().int().min(0).max(20).optional(),
  }),
  z.object({
    type: z.literal('slider'),
    ...base,
    minimum: finite,
    maximum: finite,
    step: finite,
    value: finite.optional(),
  }),
  z.object({ type: z.literal('checkbox'), ...base, value: z.boolean().optional() }),
  z.object({
    type: z.literal('dropdown'),
    ...base,
    choices: z.array(z.string().max(1024)).min(1).max(10_000),
    value: z.union([z.string(), z.array(z.string())]).optional(),
    multiselect: z.boolean().optional(),
  }),
  z.object({ type: z.literal('image'), ...base, maxBytes: z.number().int().positive().optional() }),
  z.object({
    type: z.literal('label'),
    ...base,
    numTopClasses: z.number().int().positive().max(1000).optional(),
  }),
  z.object({ type: z.literal('json'), ...base, value: z.unknown().optional() }),
  z.object({ type: z.literal('markdown'), ...base, value: z.string().optional() }),
  z.object({
    type: z.literal('chatbot'),
    ...base,
    value: z
      .array(z.object({ role: z.enum(['user', 'assistant', 'system']), content: z.string() }))
      .optional(),
  }),
]) satisfies z.ZodType<DemoComponentConfig, unknown>;

const components = z
  .array(component)
  .max(64)
  .refine((list) => new Set(list.map((c) => c.name)).size === list.length, 'component names must be unique');

export const DemoDescriptionSchema = z.object({
  title: z.string().max(1024),
  description: prose.optional(),
  article: prose.optional(),
  inputs: components,
  outputs: components,
  examples: z.array(z.array(z.unknown()).max(64)).max(1000),
  concurrencyLimit: z.number().int().min(1).max(1024),
  streaming: z.boolean(),
  apiName: z.string().regex(/^[\w-]{1,64}$/),
}) satisfies z.ZodType<DemoDescription, unknown>;

const id = z.string().min(1).max(128);
const outputs = z.array(z.unknown()).max(64);

export const DemoHostReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('description'), id, demo: DemoDescriptionSchema }),
  z.object({ type: z.literal('partial'), id, outputs }),
  z.object({ type: z.literal('result'), id, outputs, durationMs: z.number().finite().min(0) }),
  z.object({
    type: z.literal('error'),
    id,
    message: z.string().max(64 * 1024),
    kind: z.enum(['input', 'function', 'cancelled', 'unavailable']),
  }),
]) satisfies z.ZodType<DemoHostReply, unknown>;

/** The reply types a demo host sends; a message of another type on its channel is not for the demo. */
export const DEMO_REPLY_TYPES = new Set(['description', 'partial', 'result', 'error']);
