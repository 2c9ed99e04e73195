import type { DemoDescription } from '@atrium/protocol';

/** Hooks of one call: partial outputs as a streaming demo yields them, and cancellation. */
export interface DemoCallHooks {
  onPartial: (outputs: unknown[]) => void;
  signal: AbortSignal;
}

/** What one finished call produced: outputs in the order of the demo's outputs. */
export interface DemoCallResult {
  outputs: unknown[];
  /** The demo function's own time, without queueing or transport. */
  durationMs: number;
}

/**
 * Where a demo runs: in this process (InProcessDemoBackend) or in a Space's sandbox (the runner's
 * app mode, speaking DemoHostRequest/DemoHostReply). Values are the SDK's (ImageValue, LabelValue…);
 * failures reject with a DemoError whose `kind` says whose fault it was.
 */
export interface DemoBackend {
  describe(): Promise<DemoDescription>;
  call(apiName: string, inputs: unknown[], hooks: DemoCallHooks): Promise<DemoCallResult>;
}
