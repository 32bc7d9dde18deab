// Node status sharing (issue 19) writes a node's whole status only when its content changed, or
// its statistics are due; every other report only moves the row's `reported_at` (the node's
// liveness, which every controller's witness reads). `status_version` names the content
// (`<controller instance id>#<sequence>`), so that a controller that holds it reads no status
// again. Null in rows written by controllers from before this column: those are always read.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class StatusVersion1765800000000 implements MigrationInterface {
  readonly name = 'StatusVersion1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.addColumn('node_status_share', new TableColumn(c.text('status_version', 80, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('node_status_share', 'status_version');
  }
}
