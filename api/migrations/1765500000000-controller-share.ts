// Several controllers on one database (issue 19). `controller_lease`: one row per singleton job
// (the stale-agent sweep, webhook delivery, generic events, pool allocation), held by one
// controller until it expires; taken over by compare-and-set against the database's clock, so
// two controllers never hold one at once. `node_status_share`: each node's latest report as the
// controller that received it saw it, so that every controller answers with current status
// (PostgreSQL wakes the others with NOTIFY; they poll it as well).
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class ControllerShare1765500000000 implements MigrationInterface {
  readonly name = 'ControllerShare1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'controller_lease',
        columns: [{ ...c.text('name', 64), isPrimary: true }, c.text('holder', 64), c.int('epoch'), c.time('expires_at'), c.time('updated_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'node_status_share',
        columns: [
          { ...c.text('node_id', 36), isPrimary: true }, c.text('cluster_id', 36), c.text('controller_id', 64), c.json('status'), { ...c.int('report_interval_ms'), isNullable: true }, c.time('reported_at'),
        ],
        indices: [new TableIndex({ name: 'IDX_node_status_share_reported', columnNames: ['reported_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('node_status_share');
    await queryRunner.dropTable('controller_lease');
  }
}
