import { describe, expect, it } from 'vitest';
import { sleepChoices, sleepLabel } from './sleepTime';

describe('the sleep time menu', () => {
  it('reads the runtime default of 48 hours as such, not as the first choice', () => {
    const choices = sleepChoices(172800);
    expect(choices.find((c) => c.seconds === 172800)?.label).toBe('after 48 hours');
    expect(choices.filter((c) => c.seconds === 172800)).toHaveLength(1);
  });

  it('adds a value the runtime applies that the Hub does not offer, in order, never last', () => {
    const seconds = sleepChoices(7200).map((c) => c.seconds);
    expect(seconds).toContain(7200);
    expect(seconds.indexOf(7200)).toBe(seconds.indexOf(3600) + 1);
    expect(seconds.at(-1)).toBe(-1);
    expect(sleepChoices(null).at(-1)).toEqual({ seconds: -1, label: 'never' });
  });

  it('names durations in the largest whole unit', () => {
    expect(sleepLabel(300)).toBe('after 5 minutes');
    expect(sleepLabel(3600)).toBe('after 1 hour');
    expect(sleepLabel(604800)).toBe('after 1 week');
    expect(sleepLabel(90)).toBe('after 90 seconds');
    expect(sleepLabel(-1)).toBe('never');
  });
});
