// Accounts and what they sign in with: console sessions and API tokens (only the SHA-256 of
// each secret is stored), and the node each session or token has focused per cluster.
// Schema API only, types from the connected driver, like the first migration.
//
// Focus rows name their holder (`session:<id>` or `token:<id>`) rather than holding two
// foreign keys: SQL Server refuses a table reachable by two cascade paths from one table
// (account → session → focus and account → api_token → focus), so the services delete a
// holder's focus with the holder.
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class Accounts1764200000000 implements MigrationInterface {
  readonly name = 'Accounts1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    const accountForeignKey = (name: string) => new TableForeignKey({ name, columnNames: ['account_id'], referencedTableName: 'account', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

    await queryRunner.createTable(
      new Table({
        name: 'account',
        columns: [
          c.id(),
          c.text('username', 64),
          c.text('role', 16),
          c.text('password_hash', 255),
          c.time('password_changed_at'),
          c.time('last_login_at', true),
          ...c.timestamps(),
          c.int('version'),
        ],
        indices: [new TableIndex({ name: 'UQ_account_username', columnNames: ['username'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'auth_session',
        columns: [c.id(), c.text('account_id', 36), c.text('secret_hash', 64), c.time('created_at'), c.time('expires_at'), c.text('address', 64, true)],
        indices: [
          new TableIndex({ name: 'UQ_auth_session_secret_hash', columnNames: ['secret_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_auth_session_account', columnNames: ['account_id'] }),
          new TableIndex({ name: 'IDX_auth_session_expires_at', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [accountForeignKey('FK_auth_session_account')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_token',
        columns: [c.id(), c.text('account_id', 36), c.text('name', 64), c.text('role', 16), c.text('secret_hash', 64), c.time('created_at'), c.time('expires_at', true), c.time('last_used_at', true)],
        indices: [
          new TableIndex({ name: 'UQ_api_token_secret_hash', columnNames: ['secret_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_api_token_account', columnNames: ['account_id'] }),
        ],
        foreignKeys: [accountForeignKey('FK_api_token_account')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'focus',
        columns: [c.id(), c.text('holder', 64), c.text('cluster_id', 36), c.text('node_id', 36), c.time('created_at')],
        indices: [new TableIndex({ name: 'UQ_focus_holder_cluster', columnNames: ['holder', 'cluster_id'], isUnique: true })],
        foreignKeys: [new TableForeignKey({ name: 'FK_focus_cluster', columnNames: ['cluster_id'], referencedTableName: 'cluster', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['focus', 'api_token', 'auth_session', 'account']) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}
