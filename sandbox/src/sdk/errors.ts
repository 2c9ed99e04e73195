import type { DemoErrorKind } from '@atrium/protocol';

/** A failed demo call; `kind` tells the caller whether their input or the demo function was at fault. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly kind: DemoErrorKind,
    /** `cause`: what the demo function threw, kept so its stack can be logged. */
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DemoError';
  }
}

/** Bad input for one call: the message names the component and what was wrong. */
export const inputError = (component: string, problem: string) =>
  new DemoError(`Input "${component}": ${problem}`, 'input');

/** A value the demo function returned that its output component cannot show. */
export const outputError = (component: string, problem: string) =>
  new DemoError(`Output "${component}": ${problem}`, 'function');
