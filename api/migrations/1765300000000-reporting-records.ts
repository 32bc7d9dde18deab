// What the reporting views need beyond events and failover records (issue 18), recorded by the
// controller from the agents' reports as they arrive (api/src/agent-link/reporting-records.ts):
// when each node served (split at midnight UTC, so that a day's serving time is a plain sum), the
// gaps each node's audits found per camera and what became of them, and the backfill jobs. Their
// views' columns are a contract (api/README.md "Reporting views"). SQL every dialect reads:
// joins, names, SUM and arithmetic on stored numbers, no date functions.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export const servingTimeDailyView = 'v_serving_time_daily';
export const cameraGapsView = 'v_camera_gaps';
export const backfillJobsView = 'v_backfill_jobs';

const decimal = (name: string, precision: number): TableColumnOptions => ({ name, type: 'decimal', precision, scale: 3 });

function tables(queryRunner: QueryRunner): Table[] {
  const c = columnsFor(queryRunner);
  const nullable = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isNullable: true });
  // History, like events: no foreign keys, so rows outlive a deleted cluster or node.
  return [
    new Table({
      name: 'serving_span',
      columns: [c.id(), c.text('cluster_id', 36), c.text('node_id', 36), c.int('epoch'), c.text('day', 10), c.time('start_at'), c.time('end_at'), c.int('duration_ms'), c.text('state', 8)],
      indices: [new TableIndex({ name: 'IDX_serving_span_cluster_start', columnNames: ['cluster_id', 'start_at'] }), new TableIndex({ name: 'IDX_serving_span_node_day', columnNames: ['node_id', 'day'] })],
    }),
    new Table({
      name: 'camera_gap',
      columns: [c.id(), c.text('cluster_id', 36), c.text('node_id', 36), c.text('device_id', 64), c.time('start_at'), c.time('end_at'), decimal('gap_seconds', 12), decimal('missing_seconds', 12), c.time('detected_at'), c.text('state', 16), c.time('resolved_at', true)],
      indices: [new TableIndex({ name: 'IDX_camera_gap_cluster_start', columnNames: ['cluster_id', 'start_at'] }), new TableIndex({ name: 'IDX_camera_gap_node_state', columnNames: ['node_id', 'state'] })],
    }),
    new Table({
      name: 'backfill_job',
      columns: [
        c.id(), c.text('cluster_id', 36), c.text('node_id', 36), c.time('started_at'), c.time('ended_at', true), c.text('state', 24), nullable(c.text('reason', 512)),
        decimal('missing_seconds_at_start', 14), decimal('missing_seconds', 14), c.int('cameras_affected'), { name: 'bytes_done', type: 'bigint' }, { name: 'bytes_total', type: 'bigint' }, c.time('updated_at'),
      ],
      indices: [new TableIndex({ name: 'UQ_backfill_job_node_started', columnNames: ['node_id', 'started_at'], isUnique: true }), new TableIndex({ name: 'IDX_backfill_job_cluster_started', columnNames: ['cluster_id', 'started_at'] })],
    }),
  ];
}

function views(queryRunner: QueryRunner): Array<{ readonly name: string; readonly sql: string }> {
  const q = (name: string): string => queryRunner.connection.driver.escape(name);
  const as = (alias: string, column: string, name = column): string => `${alias}.${q(column)} AS ${q(name)}`;
  const names = (alias: string): string =>
    `LEFT JOIN ${q('cluster')} c ON c.${q('id')} = ${alias}.${q('cluster_id')} LEFT JOIN ${q('node')} n ON n.${q('id')} = ${alias}.${q('node_id')}`;
  return [
    {
      name: servingTimeDailyView,
      sql:
        `SELECT s.${q('day')} AS ${q('day')}, s.${q('cluster_id')} AS ${q('cluster_id')}, c.${q('name')} AS ${q('cluster')}, s.${q('node_id')} AS ${q('node_id')}, n.${q('name')} AS ${q('node')}, ` +
        `SUM(s.${q('duration_ms')}) / 1000.0 AS ${q('serving_seconds')}, SUM(s.${q('duration_ms')}) / 864000.0 AS ${q('serving_percent')}, COUNT(*) AS ${q('spans')}, ` +
        `MIN(s.${q('start_at')}) AS ${q('first_start_at')}, MAX(s.${q('end_at')}) AS ${q('last_end_at')} ` +
        `FROM ${q('serving_span')} s ${names('s')} GROUP BY s.${q('day')}, s.${q('cluster_id')}, c.${q('name')}, s.${q('node_id')}, n.${q('name')}`,
    },
    {
      name: cameraGapsView,
      sql:
        `SELECT ${as('g', 'id')}, ${as('g', 'start_at')}, ${as('g', 'end_at')}, ${as('g', 'cluster_id')}, c.${q('name')} AS ${q('cluster')}, ${as('g', 'node_id')}, n.${q('name')} AS ${q('node')}, ` +
        `${as('g', 'device_id')}, p.${q('name')} AS ${q('camera')}, ${as('g', 'gap_seconds')}, ${as('g', 'missing_seconds')}, g.${q('gap_seconds')} - g.${q('missing_seconds')} AS ${q('filled_seconds')}, ` +
        `${as('g', 'state')}, ${as('g', 'detected_at')}, ${as('g', 'resolved_at')} ` +
        `FROM ${q('camera_gap')} g ${names('g')} LEFT JOIN ${q('camera_pair')} p ON p.${q('cluster_id')} = g.${q('cluster_id')} AND p.${q('camera_id')} = g.${q('device_id')}`,
    },
    {
      name: backfillJobsView,
      sql:
        `SELECT ${as('j', 'id')}, ${as('j', 'started_at')}, ${as('j', 'ended_at')}, ${as('j', 'cluster_id')}, c.${q('name')} AS ${q('cluster')}, ${as('j', 'node_id')}, n.${q('name')} AS ${q('node')}, ` +
        `${as('j', 'state')}, ${as('j', 'reason')}, ${as('j', 'missing_seconds_at_start')}, ${as('j', 'missing_seconds')}, ${as('j', 'cameras_affected')}, ${as('j', 'bytes_done')}, ${as('j', 'bytes_total')}, ${as('j', 'updated_at')} ` +
        `FROM ${q('backfill_job')} j ${names('j')}`,
    },
  ];
}

export class ReportingRecords1765300000000 implements MigrationInterface {
  readonly name = 'ReportingRecords1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables(queryRunner)) await queryRunner.createTable(table);
    for (const view of views(queryRunner)) await queryRunner.query(`CREATE VIEW ${queryRunner.connection.driver.escape(view.name)} AS ${view.sql}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const view of views(queryRunner).reverse()) await queryRunner.query(`DROP VIEW ${queryRunner.connection.driver.escape(view.name)}`);
    for (const table of tables(queryRunner).reverse()) await queryRunner.dropTable(table.name);
  }
}
