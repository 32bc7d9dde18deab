// A filling process for lab-format-backfill-crash.test.ts, killed (SIGKILL) by the test mid-fill:
// fills every block of the plan into the storage at argv[2], four at a time, and prints
// `filled <cameraId> <startMs>` on stdout once each fill has returned (what an agent would then
// count as done and report).
import { LabFormatBackfill } from './lab-format-backfill.js';
import { crashPlan } from './lab-format-backfill-crash.plan.fixtures.js';

const root = process.argv[2];
if (root === undefined) throw new Error('usage: lab-format-backfill-crash.fixtures.ts <storage root>');
const storage = new LabFormatBackfill({ root });
const queue = crashPlan();
const worker = async (): Promise<void> => {
  // Bounded: each round takes one block off the plan.
  for (let block = queue.shift(); block !== undefined; block = queue.shift()) {
    await storage.fill(block.cameraId, block.bytes, block.sha256);
    process.stdout.write(`filled ${block.cameraId} ${block.startMs}\n`);
  }
};
await Promise.all([worker(), worker(), worker(), worker()]);
process.stdout.write('all filled\n');
