// Failover pools (issue 17), the model: failover groups (ordered sequences of standby servers;
// a standby in one group at most), each protected server's settings (primary and secondary
// group, hot standby, how a standby is chosen, the shared address its clients use), each standby's camera capacity, per-camera
// failover levels, the protected servers' RecorderConfig.xml as their agents push it (what a
// takeover clones), and the pool supervisor's state per protected server (so that the
// controller taking over the `pool-allocation` lease goes on where the last one stopped).
// No foreign keys, like the other records; deleting a node or cluster deletes its rows.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class PoolModel1765600000000 implements MigrationInterface {
  readonly name = 'PoolModel1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    const notNull = (column: string): string => `${queryRunner.connection.driver.escape(column)} IS NOT NULL`;
    await queryRunner.createTable(
      new Table({
        name: 'failover_group',
        columns: [c.id(), c.text('cluster_id', 36), c.text('name', 64), ...c.timestamps(), c.int('version')],
        indices: [new TableIndex({ name: 'UQ_failover_group_cluster_name', columnNames: ['cluster_id', 'name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'failover_group_member',
        columns: [{ ...c.text('standby_node_id', 36), isPrimary: true }, c.text('group_id', 36), c.int('position')],
        indices: [new TableIndex({ name: 'IDX_failover_group_member_group', columnNames: ['group_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pool_server',
        columns: [
          { ...c.text('node_id', 36), isPrimary: true }, c.text('cluster_id', 36), c.text('primary_group_id', 36, true), c.text('secondary_group_id', 36, true), c.text('hot_standby_node_id', 36, true), c.text('standby_selection', 16), c.text('shared_address', 261, true), c.time('updated_at'), c.int('version'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_pool_server_hot_standby', columnNames: ['hot_standby_node_id'], isUnique: true, where: notNull('hot_standby_node_id') }),
          new TableIndex({ name: 'IDX_pool_server_cluster', columnNames: ['cluster_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pool_standby',
        columns: [{ ...c.text('node_id', 36), isPrimary: true }, c.text('cluster_id', 36), c.int('camera_capacity'), c.time('updated_at')],
        indices: [new TableIndex({ name: 'IDX_pool_standby_cluster', columnNames: ['cluster_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pool_camera_level',
        columns: [{ ...c.text('node_id', 36), isPrimary: true }, { ...c.text('device_id', 36), isPrimary: true }, c.text('level', 16), c.time('updated_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pool_recorder_config',
        columns: [{ ...c.text('node_id', 36), isPrimary: true }, c.text('cluster_id', 36), c.text('recorder_id', 36), c.json('xml'), c.text('sha256', 64), c.time('received_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pool_server_state',
        columns: [{ ...c.text('node_id', 36), isPrimary: true }, c.text('cluster_id', 36), c.json('state'), c.time('updated_at')],
        indices: [new TableIndex({ name: 'IDX_pool_server_state_cluster', columnNames: ['cluster_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['pool_server_state', 'pool_recorder_config', 'pool_camera_level', 'pool_standby', 'pool_server', 'failover_group_member', 'failover_group']) await queryRunner.dropTable(table);
  }
}
