// Webhooks (issue 18, api/src/webhooks/): the outgoing HTTP notifications an admin sets up, and
// the delivery log of their last attempts. The secret is sealed at rest like the cluster secrets
// (api/src/db/secret-box.ts). No booleans (`enabled` is 0 or 1) and no foreign keys: deleting a
// webhook deletes its log rows in the same transaction, and every dialect reads the same schema.
// Schema API only, types from the connected driver, like the first migration.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class Webhooks1765200000000 implements MigrationInterface {
  readonly name = 'Webhooks1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    const nullableInt = (name: string): ReturnType<typeof c.int> => ({ ...c.int(name), isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'webhook',
        columns: [
          c.id(),
          c.text('name', 64),
          c.text('url', 2048),
          // The sealed form of a secret of up to 128 characters (webhookSecretColumnLength).
          c.text('secret', 600),
          c.int('enabled'),
          c.json('event_kinds'),
          c.text('severity_min', 16),
          c.text('cluster_id', 36, true),
          ...c.timestamps(),
          c.int('version'),
        ],
        indices: [new TableIndex({ name: 'UQ_webhook_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_delivery',
        columns: [
          c.id(),
          c.text('webhook_id', 36),
          c.text('event_id', 36),
          c.text('event_kind', 64),
          c.int('attempt'),
          c.time('time'),
          c.text('outcome', 16),
          nullableInt('http_status'),
          c.text('error', 512, true),
          c.int('duration_ms'),
        ],
        indices: [new TableIndex({ name: 'IDX_webhook_delivery_webhook_time', columnNames: ['webhook_id', 'time'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_delivery');
    await queryRunner.dropTable('webhook');
  }
}
