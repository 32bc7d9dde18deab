// The reporting views after a scripted run against the lab (issue 18), on SQLite; the same run
// on PostgreSQL is test/reports-lab-pg.test.ts (one lab per file keeps each file short).
import { reportingViewsAfterLabRun } from './helpers/reports-lab-run.js';

reportingViewsAfterLabRun('sqlite', async () => ({ url: undefined, drop: async () => {} }));
