import { describe, expect, it } from 'vitest';
import {
  Chatbot,
  Checkbox,
  DemoError,
  Dropdown,
  Image,
  JSON as Json,
  Label,
  Markdown,
  Number as Num,
  Slider,
  Textbox,
} from './index.js';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const inputFailure = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DemoError);
    expect((err as DemoError).kind).toBe('input');
    return (err as DemoError).message;
  }
  throw new Error('expected an input error');
};

describe('demo SDK components', () => {
  it('Textbox accepts text, turns a missing value into the default and refuses other types', () => {
    const t = Textbox({ name: 'text', maxLength: 5 });
    expect(t.parse('hello')).toBe('hello');
    expect(t.parse(null)).toBe('');
    expect(inputFailure(() => t.parse(42))).toBe('Input "text": expected text, got a number');
    expect(inputFailure(() => t.parse('too long'))).toMatch(/at most 5 characters/);
    expect(t.config).toMatchObject({ type: 'textbox', name: 'text', label: 'text', lines: 1 });
  });

  it('Number accepts numeric text, checks bounds and rounds to its precision', () => {
    const n = Num({ name: 'n', minimum: 0, maximum: 10, precision: 1 });
    expect(n.parse('3.14')).toBe(3.1);
    expect(n.parse(2)).toBe(2);
    expect(inputFailure(() => n.parse(11))).toMatch(/at most 10/);
    expect(inputFailure(() => n.parse('abc'))).toMatch(/expected a number/);
    expect(inputFailure(() => n.parse(Number.NaN))).toMatch(/expected a number/);
  });

  it('Slider keeps values within its range and defaults to its value', () => {
    const s = Slider({ name: 's', minimum: 1, maximum: 5, value: 3 });
    expect(s.parse(undefined)).toBe(3);
    expect(s.parse(5)).toBe(5);
    expect(inputFailure(() => s.parse(6))).toMatch(/between 1 and 5/);
    expect(s.config).toMatchObject({ type: 'slider', minimum: 1, maximum: 5, step: 1, value: 3 });
  });

  it('Checkbox accepts booleans and their text forms only', () => {
    const c = Checkbox({ name: 'c' });
    expect(c.parse(true)).toBe(true);
    expect(c.parse('false')).toBe(false);
    expect(c.parse(null)).toBe(false);
    expect(inputFailure(() => c.parse('yes'))).toMatch(/expected true or false/);
  });

  it('Dropdown refuses a value outside its choices, single or multiselect', () => {
    const d = Dropdown({ name: 'd', choices: ['a', 'b'] });
    expect(d.parse('b')).toBe('b');
    expect(d.parse(undefined)).toBe('a');
    expect(inputFailure(() => d.parse('c'))).toMatch(/"c" is not one of "a", "b"/);
    const m = Dropdown({ name: 'm', choices: ['a', 'b'], multiselect: true });
    expect(m.parse(['a', 'b'])).toEqual(['a', 'b']);
    expect(inputFailure(() => m.parse('a'))).toMatch(/expected a list/);
  });

  it('Image reads a data URL or {url} into an ImageValue and enforces its size limit', () => {
    const img = Image({ name: 'img' });
    const value = img.parse(PNG);
    expect(value).toMatchObject({ url: PNG, mimeType: 'image/png', size: 70 });
    expect(img.parse({ url: PNG, origName: 'dot.png' }).origName).toBe('dot.png');
    expect(inputFailure(() => img.parse('data:text/plain;base64,aGk='))).toMatch(/data:image/);
    expect(inputFailure(() => Image({ name: 'small', maxBytes: 10 }).parse(PNG))).toMatch(/limit is 10/);
    expect(inputFailure(() => img.parse(null))).toMatch(/required/);
  });

  it('Label turns class confidences into a sorted top-N LabelValue', () => {
    const l = Label({ name: 'label', numTopClasses: 2 });
    expect(l.serialize({ neg: 0.1, pos: 0.7, neutral: 0.2 })).toEqual({
      label: 'pos',
      confidences: [
        { label: 'pos', confidence: 0.7 },
        { label: 'neutral', confidence: 0.2 },
      ],
    });
    expect(l.serialize('cat')).toEqual({ label: 'cat' });
    expect(() => l.serialize({ a: 'high' } as never)).toThrow(/confidence of "a" must be a number/);
  });

  it('JSON passes any JSON value and refuses one that cannot be serialised', () => {
    const j = Json({ name: 'j' });
    expect(j.serialize({ a: [1, 'x', null] })).toEqual({ a: [1, 'x', null] });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => j.serialize(cycle)).toThrow(/not JSON-serialisable/);
  });

  it('Markdown and Chatbot check their text and messages', () => {
    expect(Markdown({ name: 'md' }).serialize('# hi')).toBe('# hi');
    const chat = Chatbot({ name: 'chat' });
    expect(chat.serialize([['hi', 'hello']])).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
    expect(inputFailure(() => chat.parse([{ role: 'robot', content: 'x' }]))).toMatch(/role "user"/);
  });
});

describe('componentFromConfig', () => {
  it('rebuilds each component from its config with the same checks', async () => {
    const { componentFromConfig } = await import('./fromConfig.js');
    const slider = componentFromConfig(Slider({ name: 's', minimum: 1, maximum: 5 }).config);
    expect(slider.parse(2)).toBe(2);
    expect(() => slider.parse(9)).toThrow(/between 1 and 5/);
    const dropdown = componentFromConfig(
      Dropdown({ name: 'd', choices: ['x', 'y'], multiselect: true }).config,
    );
    expect(dropdown.parse(['y'])).toEqual(['y']);
    expect(() => dropdown.parse(['z'])).toThrow(/"z" is not one of/);
    expect(componentFromConfig(Textbox({ name: 't', label: 'T' }).config).config).toEqual(
      Textbox({ name: 't', label: 'T' }).config,
    );
  });
});
