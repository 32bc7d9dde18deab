// Failover pools (issue 17), first step: the standby leases the controller allocates standbys
// with (api/src/domain/standby-leases.ts). A row per standby, changed by compare-and-set; a
// filtered unique index lets one protected server be served by one standby at most (SQL
// Server's unique indexes count NULL as a value unless filtered; SQLite and PostgreSQL accept
// the same WHERE). And each pool's epoch counter: every takeover fences one above every epoch
// the pool has given, whichever standby and server (a protected server's endpoint may be
// claimed by one standby, then another). No foreign keys, like the other records.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class StandbyLeases1765400000000 implements MigrationInterface {
  readonly name = 'StandbyLeases1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'standby_lease',
        columns: [
          { ...c.text('standby_node_id', 36), isPrimary: true }, c.text('cluster_id', 36), c.text('protected_node_id', 36, true), c.int('epoch'), c.text('state', 16), c.int('version'), c.time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_standby_lease_protected', columnNames: ['protected_node_id'], isUnique: true, where: `${queryRunner.connection.driver.escape('protected_node_id')} IS NOT NULL` }),
          new TableIndex({ name: 'IDX_standby_lease_cluster', columnNames: ['cluster_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(new Table({ name: 'pool_epoch', columns: [{ ...c.text('cluster_id', 36), isPrimary: true }, c.int('epoch')] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pool_epoch');
    await queryRunner.dropTable('standby_lease');
  }
}
