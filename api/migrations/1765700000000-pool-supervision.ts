// Failover pools (issue 17): when a controller last swept each pool, so that the controller that
// sweeps it after an outage (no controller ran, or none reached the database) says how long it
// went unsupervised and what went on meanwhile (`pool.controller-returned`). A row per pool;
// deleting the cluster deletes it.
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class PoolSupervision1765700000000 implements MigrationInterface {
  readonly name = 'PoolSupervision1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(new Table({ name: 'pool_supervision', columns: [{ ...c.text('cluster_id', 36), isPrimary: true }, c.time('supervised_at')] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pool_supervision');
  }
}
