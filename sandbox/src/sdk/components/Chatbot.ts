import type { ChatbotConfig, ChatMessage } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface ChatbotOptions<N extends string> extends CommonOptions<N> {
  value?: ChatMessage[];
}

/** A function may return messages, or Gradio's older [user, assistant] pairs. */
export type ChatbotReturn = ChatMessage[] | [string | null, string | null][];

const ROLES = new Set(['user', 'assistant', 'system']);

/** Reads messages (or pairs) into ChatMessage[]. */
export function toMessages(raw: unknown, fail: (p: string) => Error): ChatMessage[] {
  if (!Array.isArray(raw)) throw fail(`expected a list of messages, got ${describeValue(raw)}`);
  const out: ChatMessage[] = [];
  for (const item of raw) {
    if (Array.isArray(item)) {
      const [user, assistant] = item as unknown[];
      if (typeof user === 'string') out.push({ role: 'user', content: user });
      if (typeof assistant === 'string') out.push({ role: 'assistant', content: assistant });
      continue;
    }
    const m = item as Partial<ChatMessage> | null;
    if (!m || typeof m.content !== 'string' || !ROLES.has(m.role as string)) {
      throw fail('every message needs role "user", "assistant" or "system" and text content');
    }
    out.push({ role: m.role as ChatMessage['role'], content: m.content });
  }
  return out;
}

/** A conversation: the history in, the history with the reply out (streams token by token). */
export function Chatbot<const N extends string>(
  o: ChatbotOptions<N>,
): Component<N, ChatMessage[], ChatbotReturn> {
  const config: ChatbotConfig & { name: N } = { type: 'chatbot', ...common(o), value: o.value ?? [] };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return [...(o.value ?? [])];
      return toMessages(raw, (p) => inputError(o.name, p));
    },
    serialize(value) {
      if (isMissing(value)) return [];
      return toMessages(value, (p) => outputError(o.name, p));
    },
  };
}
