import { demo, Image, Label } from '@atrium/sandbox/sdk';
import { pipeline, RawImage } from '@huggingface/transformers';

const classifier = await pipeline('image-classification', 'atrium/tiny-vit-colours');

export default demo({
  title: 'Image classification',
  inputs: [Image({ name: 'image', label: 'Image' })],
  outputs: [Label({ name: 'labels', label: 'Top labels', numTopClasses: 3 })],
  fn: async ({ image }) => {
    const base64 = image.url.slice(image.url.indexOf(',') + 1);
    const picture = await RawImage.fromBlob(
      new Blob([Buffer.from(base64, 'base64')], { type: image.mimeType }),
    );
    const labels = (await classifier(picture, { top_k: 3 })) as { label: string; score: number }[];
    return { labels: Object.fromEntries(labels.map((l) => [l.label, l.score])) };
  },
});
