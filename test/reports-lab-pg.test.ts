// The reporting views after a scripted run against the lab (issue 18), on PostgreSQL (the
// server TWINREC_TEST_PG_URL names, set by .ci/run); the SQLite run is test/reports-lab.test.ts.
import { reportingViewsAfterLabRun } from './helpers/reports-lab-run.js';
import { createPostgresDatabase, postgresUrl } from './helpers/postgres.js';

if (postgresUrl !== undefined) reportingViewsAfterLabRun('postgres', () => createPostgresDatabase(postgresUrl as string));
