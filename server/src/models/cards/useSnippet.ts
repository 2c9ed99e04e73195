/** Example input per task, in the form the transformers.js pipeline takes it. */
const EXAMPLES: Record<string, string> = {
  'text-classification': "await classifier('I love this wonderful film!')",
  'text-generation': "await generator('Alice was', { max_new_tokens: 20 })",
  'question-answering': "await answerer('Where does Alice live?', 'Alice lives in Paris with her cat.')",
  translation: "await translator('the cat is in the house')",
  'image-classification': "await classifier('https://example.com/red-square.png')",
};

const VARIABLE: Record<string, string> = {
  'text-classification': 'classifier',
  'text-generation': 'generator',
  'question-answering': 'answerer',
  translation: 'translator',
  'image-classification': 'classifier',
};

/** The "Use this model" snippet: transformers.js pointed at this Atrium instance, then one call. */
export function useThisModelSnippet(
  modelId: string,
  pipelineTag: string | undefined,
  atriumUrl = 'https://atrium.example',
): string {
  const variable = (pipelineTag && VARIABLE[pipelineTag]) || 'pipe';
  const example = (pipelineTag && EXAMPLES[pipelineTag]) || `await ${variable}(input)`;
  return [
    "import { env, pipeline } from '@huggingface/transformers';",
    '',
    '// Fetch models from Atrium instead of huggingface.co.',
    `env.remoteHost = '${atriumUrl.replace(/\/$/, '')}/';`,
    "env.remotePathTemplate = '{model}/resolve/{revision}/';",
    '',
    // Without a pipeline_tag the card does not say what the model does; the reader picks the task.
    ...(pipelineTag
      ? []
      : ['// This card declares no pipeline_tag: replace TASK with the task the model performs.']),
    `const ${variable} = await pipeline('${pipelineTag || 'TASK'}', '${modelId}');`,
    `const output = ${example};`,
  ].join('\n');
}
