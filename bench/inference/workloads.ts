// One representative call per seed pipeline, shared by the inference benchmarks.
import { pipeline, RawImage } from '@huggingface/transformers';
import sharp from 'sharp';

/** A loaded pipeline of any task, as the benchmarks use it. */
export type AnyPipeline = ((...args: unknown[]) => Promise<unknown>) & {
  dispose: () => Promise<void>;
  model: { sessions: Record<string, unknown> };
  tokenizer: unknown;
};

/** Loads the pipeline for a task name known only at run time. */
export async function loadPipeline(task: string, model: string): Promise<AnyPipeline> {
  return (await pipeline(task as 'text-classification', model)) as unknown as AnyPipeline;
}

export interface Workload {
  task: string;
  model: string;
  /** One pipeline call; resolves when its result is complete. */
  run: (pipe: AnyPipeline) => Promise<unknown>;
  /** Unit of throughput: calls, or generated tokens for text generation. */
  unit: string;
  perCall: number;
}

const bluePng = await sharp({ create: { width: 224, height: 224, channels: 3, background: '#2040e0' } })
  .png()
  .toBuffer();
const blue = await RawImage.fromBlob(new Blob([new Uint8Array(bluePng)]));
const GENERATED_TOKENS = 32;

export const workloads: Workload[] = [
  {
    task: 'text-classification',
    model: 'atrium/tiny-sentiment-bert',
    run: (pipe) => pipe('I love this wonderful film, the actors were brilliant!'),
    unit: 'calls',
    perCall: 1,
  },
  {
    task: 'translation',
    model: 'atrium/tiny-marian-en-fr',
    run: (pipe) => pipe('the cats are in the garden with the girl'),
    unit: 'calls',
    perCall: 1,
  },
  {
    task: 'text-generation',
    model: 'atrium/tiny-gpt2-alice',
    run: (pipe) => pipe('Alice was', { max_new_tokens: GENERATED_TOKENS }),
    unit: 'tokens',
    perCall: GENERATED_TOKENS,
  },
  {
    task: 'question-answering',
    model: 'atrium/tiny-qa-bert',
    run: (pipe) => pipe('Where does Bob live?', 'Alice lives in Paris and Bob lives in London with his dog.'),
    unit: 'calls',
    perCall: 1,
  },
  {
    task: 'image-classification',
    model: 'atrium/tiny-vit-colours',
    run: (pipe) => pipe(blue, { top_k: 3 }),
    unit: 'calls',
    perCall: 1,
  },
];
