// Reporting views over what the controller already stores (issue 18): the audit log and the
// config sync history. Their columns are a contract (README.md, "Reporting views"). SQL every
// dialect reads: names, joins and one LIKE.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export const auditLogView = 'v_audit_log';
export const configSyncHistoryView = 'v_config_sync_history';

function views(queryRunner: QueryRunner): Array<{ readonly name: string; readonly sql: string }> {
  const q = (name: string): string => queryRunner.connection.driver.escape(name);
  const cols = (alias: string, names: readonly string[]): string => names.map((n) => `${alias}.${q(n)} AS ${q(n)}`).join(', ');
  return [
    { name: auditLogView, sql: `SELECT ${cols('a', ['id', 'time', 'actor', 'action', 'target', 'outcome', 'address', 'details'])} FROM ${q('audit_entry')} a` },
    {
      name: configSyncHistoryView,
      sql:
        `SELECT e.${q('id')} AS ${q('id')}, e.${q('time')} AS ${q('time')}, e.${q('cluster_id')} AS ${q('cluster_id')}, c.${q('name')} AS ${q('cluster')}, ` +
        `e.${q('node_id')} AS ${q('node_id')}, n.${q('name')} AS ${q('node')}, e.${q('kind')} AS ${q('kind')}, e.${q('severity')} AS ${q('severity')}, e.${q('message')} AS ${q('message')}, e.${q('data')} AS ${q('data')} ` +
        `FROM ${q('event')} e LEFT JOIN ${q('cluster')} c ON c.${q('id')} = e.${q('cluster_id')} LEFT JOIN ${q('node')} n ON n.${q('id')} = e.${q('node_id')} ` +
        `WHERE e.${q('kind')} LIKE 'config-sync.%'`,
    },
  ];
}

export class ReportingViews1765100000000 implements MigrationInterface {
  readonly name = 'ReportingViews1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const view of views(queryRunner)) await queryRunner.query(`CREATE VIEW ${queryRunner.connection.driver.escape(view.name)} AS ${view.sql}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const view of views(queryRunner).reverse()) await queryRunner.query(`DROP VIEW ${queryRunner.connection.driver.escape(view.name)}`);
  }
}
