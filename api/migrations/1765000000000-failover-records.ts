// The failover history (issue 18): one row per change of the Serving role, written when the
// agents' events reach the controller (api/src/domain/failover-history.ts), with the figures the
// agents measured; and the reporting view over it, with cluster and node names, that Power BI,
// Grafana or Excel read (its columns are a contract: api/README.md "Reporting views").
// Schema API for the table; the view in SQL every dialect reads (joins and names only).
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export const failoverHistoryView = 'v_failover_history';

function viewSql(queryRunner: QueryRunner): string {
  const q = (name: string): string => queryRunner.connection.driver.escape(name);
  return (
    `CREATE VIEW ${q(failoverHistoryView)} AS SELECT r.${q('id')} AS ${q('id')}, r.${q('time')} AS ${q('time')}, r.${q('cluster_id')} AS ${q('cluster_id')}, c.${q('name')} AS ${q('cluster')}, ` +
    `r.${q('from_node_id')} AS ${q('from_node_id')}, f.${q('name')} AS ${q('from_node')}, r.${q('to_node_id')} AS ${q('to_node_id')}, t.${q('name')} AS ${q('to_node')}, ` +
    `r.${q('reason')} AS ${q('reason')}, r.${q('trigger')} AS ${q('trigger')}, r.${q('detection_ms')} AS ${q('detection_ms')}, r.${q('switch_ms')} AS ${q('switch_ms')}, r.${q('epoch')} AS ${q('epoch')} ` +
    `FROM ${q('failover_record')} r LEFT JOIN ${q('cluster')} c ON c.${q('id')} = r.${q('cluster_id')} ` +
    `LEFT JOIN ${q('node')} f ON f.${q('id')} = r.${q('from_node_id')} LEFT JOIN ${q('node')} t ON t.${q('id')} = r.${q('to_node_id')}`
  );
}

export class FailoverRecords1765000000000 implements MigrationInterface {
  readonly name = 'FailoverRecords1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    const int = (name: string, nullable: boolean): ReturnType<typeof c.int> => ({ ...c.int(name), isNullable: nullable });
    // History, like events: no foreign keys, so a record outlives a deleted cluster or node.
    await queryRunner.createTable(
      new Table({
        name: 'failover_record',
        columns: [c.id(), c.time('time'), c.text('cluster_id', 36), c.text('from_node_id', 36, true), c.text('to_node_id', 36, true), c.text('reason', 32), c.text('trigger', 16), int('detection_ms', true), int('switch_ms', true), int('epoch', true), c.text('event_id', 36)],
        indices: [new TableIndex({ name: 'IDX_failover_record_cluster_time', columnNames: ['cluster_id', 'time'] }), new TableIndex({ name: 'UQ_failover_record_event', columnNames: ['event_id'], isUnique: true })],
      }),
    );
    await queryRunner.query(viewSql(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW ${queryRunner.connection.driver.escape(failoverHistoryView)}`);
    await queryRunner.dropTable('failover_record');
  }
}
