import type { SpaceRuntimeView } from '@atrium/protocol';

const TONE: Record<string, string> = {
  RUNNING: 'ok',
  RUNNING_BUILDING: 'busy',
  BUILDING: 'busy',
  BUILD_ERROR: 'bad',
  RUNTIME_ERROR: 'bad',
  CONFIG_ERROR: 'bad',
  NO_APP_FILE: 'idle',
  STOPPED: 'idle',
  PAUSED: 'idle',
  SLEEPING: 'idle',
};

/** The Space's stage as a coloured badge (the runtime's `stage`), updated as it changes. */
export function StageBadge({ runtime }: { runtime: SpaceRuntimeView | null }) {
  const stage = runtime?.stage ?? 'UNKNOWN';
  return (
    <span
      className={`badge stage-badge stage-${TONE[stage] ?? 'idle'}`}
      data-stage={stage}
      data-sha={runtime?.sha ?? ''}
      title={runtime?.errorMessage}
    >
      {stage.replace('_', ' ').toLowerCase()}
    </span>
  );
}
