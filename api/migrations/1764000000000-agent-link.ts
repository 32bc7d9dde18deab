// The agent link: the per-cluster secret the agents present (trust on first use, kept so
// that the controller can call the agents' APIs with it) and each node's recorder web
// server address. Schema API only, types from the connected driver, like the first migration.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AgentLink1764000000000 implements MigrationInterface {
  readonly name = 'AgentLink1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const stringType = queryRunner.connection.driver.normalizeType({ type: String });
    await queryRunner.addColumn('cluster', new TableColumn({ name: 'agent_secret', type: stringType, length: '256', isNullable: true }));
    await queryRunner.addColumn('node', new TableColumn({ name: 'web_server_uri', type: stringType, length: '2048', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('node', 'web_server_uri');
    await queryRunner.dropColumn('cluster', 'agent_secret');
  }
}
