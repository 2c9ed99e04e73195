import { describe, expect, it } from 'vitest';
import { appToSleep } from './fairShare.js';

const app = (owner: string, lastVisit: number) => ({ owner, lastVisit, id: `${owner}@${lastVisit}` });

describe('appToSleep', () => {
  it('puts nothing to sleep while there is room under the cap', () => {
    expect(appToSleep([app('ann', 1)], 'bob', 2)).toBeNull();
  });

  it("puts one of the busiest owner's apps to sleep, their least recently visited", () => {
    const running = [app('ann', 5), app('ann', 2), app('ann', 9), app('bob', 1)];
    expect(appToSleep(running, 'cid', 4)?.id).toBe('ann@2');
  });

  it("never lets one owner's new app put another owner's to sleep while they run more", () => {
    const running = [app('ann', 10), app('ann', 11), app('bob', 1)];
    // ann starts a third: she has the most (3 with it), so one of hers sleeps, not bob's older one.
    expect(appToSleep(running, 'ann', 3)?.id).toBe('ann@10');
  });

  it('makes the starting owner give up their own app on a tie', () => {
    const running = [app('ann', 10), app('bob', 1)];
    expect(appToSleep(running, 'bob', 2)?.id).toBe('bob@1');
    expect(appToSleep(running, 'ann', 2)?.id).toBe('ann@10');
  });

  it('lets a newcomer take room from the owner running the most', () => {
    const running = [app('ann', 3), app('ann', 4), app('bob', 1), app('cid', 2)];
    expect(appToSleep(running, 'dee', 4)?.id).toBe('ann@3');
  });
});
