import type { DemoDescription } from '@atrium/protocol';
import type { Demo } from '@atrium/sandbox/sdk';
import { DemoError } from '@atrium/sandbox/sdk';
import type { DemoBackend, DemoCallHooks, DemoCallResult } from './DemoBackend.js';

/** Runs an SDK demo inside the server process: for development, tests and benchmarks. */
export class InProcessDemoBackend implements DemoBackend {
  constructor(private readonly demo: Demo) {}

  async describe(): Promise<DemoDescription> {
    return this.demo.description;
  }

  call(apiName: string, inputs: unknown[], hooks: DemoCallHooks): Promise<DemoCallResult> {
    if (apiName !== this.demo.description.apiName) {
      return Promise.reject(new DemoError(`No endpoint named "/${apiName}"`, 'input'));
    }
    return this.demo.call(inputs, { onPartial: hooks.onPartial, signal: hooks.signal });
  }
}
