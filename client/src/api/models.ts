import type { ModelCardView } from '@atrium/protocol';
import { api } from './request';

/** Model-specific calls: the card with its responsible-use warnings and the transformers.js snippet. */
export const modelsApi = {
  card: (id: string, rev: string) =>
    api<ModelCardView>('GET', `/api/models/${id}/card?${new URLSearchParams({ rev })}`),
};
