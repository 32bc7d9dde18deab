import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { busyShare, formatSelfTimes, summarizeProfile, type CpuProfile } from './cpu-profile-summary.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/** idle 2, parse 1 and 4 (5 in all), report 3: each sample's time is the delta after it. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('parse', 'file:///x/node_modules/zod/lib/types.js', 719) },
    { id: 4, callFrame: frame('report', 'file:///work/main/api/src/agent-link/agent-link.ts', 200) },
    { id: 5, callFrame: frame('parse', 'file:///x/node_modules/zod/lib/types.js', 719) },
  ],
  samples: [2, 3, 4, 5, 2],
  timeDeltas: [0, 2_000, 1_000, 3_000, 4_000],
  startTime: 0,
  endTime: 10_000,
};

describe('summarizeProfile', () => {
  test('adds up self time by function and place, largest first, with shares of all sampled time', () => {
    const rows = summarizeProfile(profile, 10);
    assert.deepEqual(rows, [
      { where: 'parse node_modules/zod/lib/types.js:720', selfMs: 5, share: 0.5 },
      { where: 'report api/src/agent-link/agent-link.ts:201', selfMs: 3, share: 0.3 },
      { where: '(idle)', selfMs: 2, share: 0.2 },
    ]);
    assert.equal(summarizeProfile(profile, 1).length, 1);
    assert.equal(busyShare(profile), 0.8);
    assert.match(formatSelfTimes(rows)[0] ?? '', /50\.0 %.*parse/);
  });

  test('refuses a profile whose samples and deltas do not pair up', () => {
    assert.throws(() => summarizeProfile({ ...profile, timeDeltas: [1] }, 5), /one time delta per sample/);
  });
});
