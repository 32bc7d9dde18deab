// The agent API certificate's SHA-256 fingerprint per node (node.agent_certificate_fingerprint),
// set by the agent's registration: commands relayed to an https agent are pinned to it, so the
// cluster secret goes to that agent only. Null for agents on plain HTTP (loopback) and until an
// agent registers again. `AB:CD:…` is 95 characters.
// Schema API only, types from the connected driver, like the first migration.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class AgentCertificate1764650000000 implements MigrationInterface {
  readonly name = 'AgentCertificate1764650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.addColumn('node', new TableColumn(c.text('agent_certificate_fingerprint', 95, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('node', 'agent_certificate_fingerprint');
  }
}
