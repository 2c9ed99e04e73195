/** The Hub's card colours (colorFrom/colorTo) as CSS colours. */
const COLORS: Record<string, string> = {
  red: '#f87171',
  yellow: '#facc15',
  green: '#4ade80',
  blue: '#60a5fa',
  indigo: '#818cf8',
  purple: '#c084fc',
  pink: '#f472b6',
  gray: '#9ca3af',
};

/** The gradient behind a Space's card and header, from its card's colorFrom and colorTo. */
export function spaceGradient(card: Record<string, unknown> | undefined): string {
  const from = COLORS[String(card?.colorFrom ?? '')] ?? COLORS.blue;
  const to = COLORS[String(card?.colorTo ?? '')] ?? COLORS.indigo;
  return `linear-gradient(135deg, ${from}, ${to})`;
}

/** The Space's emoji, or a default. */
export const spaceEmoji = (card: Record<string, unknown> | undefined) =>
  typeof card?.emoji === 'string' && card.emoji ? card.emoji : '🚀';

/** The Space's display title: its card's title, or its name. */
export const spaceTitle = (card: Record<string, unknown> | undefined, id: string) =>
  typeof card?.title === 'string' && card.title ? card.title : (id.split('/')[1] ?? id);
