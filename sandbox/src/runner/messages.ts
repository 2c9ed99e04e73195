import { randomUUID } from 'node:crypto';
import type { KernelContentMap, KernelHeader, KernelMessage, KernelMessageType } from '@atrium/protocol';

/** Builds Jupyter messages for one session, each linked to the request that caused it. */
export function messageFactory(session: string, username = 'atrium') {
  return function message<T extends KernelMessageType>(
    type: T,
    content: KernelContentMap[T],
    parent: Partial<KernelHeader> = {},
  ): KernelMessage<T> {
    return {
      header: {
        msg_id: randomUUID(),
        msg_type: type,
        session,
        username,
        date: new Date().toISOString(),
        version: '5.3',
      },
      parent_header: parent,
      metadata: {},
      content,
    };
  };
}

export type MessageFactory = ReturnType<typeof messageFactory>;
