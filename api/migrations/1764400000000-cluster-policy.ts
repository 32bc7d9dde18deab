// The cluster policy (contracts/cluster-policy-v1.ts), owned and versioned by the controller.
// The cluster's preferred_node_id, failback_policy and failback_hold_down_seconds stay the one
// store of those three settings; policy_settings holds the rest as JSON (null: the defaults),
// policy_version numbers the policy (existing clusters start at 1) and policy_updated_at says
// when it last changed (null: never since the cluster was made). audit_entry.details carries
// what a change did, e.g. a policy change's versions before and after.
// Schema API only, types from the connected driver, like the first migration.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class ClusterPolicy1764400000000 implements MigrationInterface {
  readonly name = 'ClusterPolicy1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.addColumns('cluster', [
      new TableColumn({ ...c.int('policy_version'), default: 1 }),
      new TableColumn({ ...c.json('policy_settings'), isNullable: true }),
      new TableColumn(c.time('policy_updated_at', true)),
    ]);
    await queryRunner.addColumn('audit_entry', new TableColumn({ ...c.json('details'), isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('audit_entry', 'details');
    await queryRunner.dropColumns('cluster', ['policy_updated_at', 'policy_settings', 'policy_version']);
  }
}
