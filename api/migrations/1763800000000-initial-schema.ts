// The first schema: clusters, nodes, camera pairs, events and the audit log.
// Written only with TypeORM's schema API so that the same migration runs on SQLite,
// PostgreSQL and SQL Server; column types come from the connected driver.
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

export class InitialSchema1763800000000 implements MigrationInterface {
  readonly name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'cluster',
        columns: [
          c.id(),
          c.text('name', 64),
          c.text('mode', 16),
          c.text('shared_address', 255),
          c.text('preferred_node_id', 36, true),
          c.text('failback_policy', 16),
          c.int('failback_hold_down_seconds'),
          { ...c.text('description', 1024), default: "''" },
          ...c.timestamps(),
          c.int('version'),
        ],
        indices: [new TableIndex({ name: 'UQ_cluster_name', columnNames: ['name'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'node',
        columns: [
          c.id(),
          c.text('cluster_id', 36),
          c.text('name', 64),
          c.text('role', 16),
          c.text('host_name', 255),
          c.json('addresses'),
          c.text('agent_url', 2048, true),
          c.text('recorder_id', 36, true),
          ...c.timestamps(),
          c.int('version'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_node_cluster_name', columnNames: ['cluster_id', 'name'], isUnique: true }),
          new TableIndex({ name: 'IDX_node_recorder', columnNames: ['recorder_id'] }),
        ],
        foreignKeys: [clusterForeignKey('FK_node_cluster')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'camera_pair',
        columns: [
          c.id(),
          c.text('cluster_id', 36),
          c.text('camera_id', 36),
          c.text('name', 255),
          c.text('hardware_name', 255),
          c.text('failover_level', 16),
          ...c.timestamps(),
        ],
        indices: [new TableIndex({ name: 'UQ_camera_pair_cluster_camera', columnNames: ['cluster_id', 'camera_id'], isUnique: true })],
        foreignKeys: [clusterForeignKey('FK_camera_pair_cluster')],
      }),
    );

    // Events and audit entries are history: no foreign keys, so they outlive what they describe.
    await queryRunner.createTable(
      new Table({
        name: 'event',
        columns: [
          c.id(),
          c.time('time'),
          c.text('cluster_id', 36, true),
          c.text('node_id', 36, true),
          c.text('kind', 64),
          c.text('severity', 16),
          c.text('message', 2048),
          c.json('data'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_event_time', columnNames: ['time'] }),
          new TableIndex({ name: 'IDX_event_cluster_time', columnNames: ['cluster_id', 'time'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_entry',
        columns: [
          c.id(),
          c.time('time'),
          c.text('actor', 128),
          c.text('action', 64),
          c.text('target', 255),
          c.text('outcome', 16),
          c.text('address', 64, true),
        ],
        indices: [new TableIndex({ name: 'IDX_audit_entry_time', columnNames: ['time'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_entry', 'event', 'camera_pair', 'node', 'cluster']) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}

function clusterForeignKey(name: string): TableForeignKey {
  return new TableForeignKey({ name, columnNames: ['cluster_id'], referencedTableName: 'cluster', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
}

/** Column builders whose SQL types come from the connected driver, never from dialect SQL. Later migrations use them too. */
export function columnsFor(queryRunner: QueryRunner) {
  const driver = queryRunner.connection.driver;
  const stringType = driver.normalizeType({ type: String });
  const intType = driver.normalizeType({ type: Number });
  const timeType = driver.normalizeType({ type: driver.mappedDataTypes.createDate });
  const isSqlServer = driver.options.type === 'mssql';
  return {
    id: (): TableColumnOptions => ({ name: 'id', type: stringType, length: '36', isPrimary: true }),
    text: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: stringType, length: String(length), isNullable: nullable }),
    int: (name: string): TableColumnOptions => ({ name, type: intType, isNullable: false }),
    time: (name: string, nullable = false): TableColumnOptions => ({ name, type: timeType, isNullable: nullable }),
    // JSON documents are stored as text (TypeORM's simple-json); SQL Server's `text` is deprecated, so nvarchar(max).
    json: (name: string): TableColumnOptions => (isSqlServer ? { name, type: 'nvarchar', length: 'MAX' } : { name, type: 'text' }),
    timestamps: (): TableColumnOptions[] => [
      { name: 'created_at', type: timeType, default: driver.mappedDataTypes.createDateDefault },
      { name: 'updated_at', type: timeType, default: driver.mappedDataTypes.updateDateDefault },
    ],
  };
}
