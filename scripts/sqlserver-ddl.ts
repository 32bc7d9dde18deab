// Writes api/migrations/sqlserver.sql: the SQL the migrations run on SQL Server, captured
// without one (api/src/db/sqlserver-ddl.ts). `npm run db:sqlserver-ddl` after changing a migration.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { captureSqlServerDdl, sqlServerDdlText } from '../api/src/db/sqlserver-ddl.js';

const target = fileURLToPath(new URL('../api/migrations/sqlserver.sql', import.meta.url));
writeFileSync(target, sqlServerDdlText(await captureSqlServerDdl()));
process.stdout.write(`wrote ${target}\n`);
