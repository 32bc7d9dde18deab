// Cluster secrets are stored encrypted (api/src/db/secret-box.ts): the sealed form of a
// 256-character secret needs up to 1088 characters, so agent_secret widens from 256 to 1200.
// PostgreSQL and SQL Server alter the column in place, in SQL: the schema API's changeColumn
// drops and re-adds a column whose length changes, which would lose every secret. SQLite does
// not enforce a varchar's length, so it needs no change.
// The controller seals the plain-text secrets after its migrations (cluster-secrets.ts).
import type { MigrationInterface, QueryRunner } from 'typeorm';

const table = 'cluster';
const column = 'agent_secret';

/** Sets the column's length, keeping its values; nothing on SQLite. */
async function setSecretLength(queryRunner: QueryRunner, length: number): Promise<void> {
  const driver = queryRunner.connection.driver;
  const type = driver.normalizeType({ type: String });
  const [t, c] = [driver.escape(table), driver.escape(column)];
  if (driver.options.type === 'postgres') await queryRunner.query(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${type}(${length})`);
  else if (driver.options.type === 'mssql') await queryRunner.query(`ALTER TABLE ${t} ALTER COLUMN ${c} ${type}(${length}) NULL`);
}

export class AgentSecretSealed1764700000000 implements MigrationInterface {
  readonly name = 'AgentSecretSealed1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await setSecretLength(queryRunner, 1200);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Sealed secrets do not fit 256 characters, and without the key a migration cannot open
    // them: refuse rather than cut them (the agents would be locked out for good).
    const rows = (await queryRunner.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} LIKE 'enc:v1:%'`)) as { n: number | string }[];
    const sealed = Number(rows[0]?.n ?? 0);
    if (sealed > 0) {
      throw new Error(`${sealed} cluster secret(s) are stored encrypted, which the older schema cannot hold: clear them first (UPDATE cluster SET agent_secret = NULL) and enrol those agents again after the downgrade`);
    }
    await setSecretLength(queryRunner, 256);
  }
}
