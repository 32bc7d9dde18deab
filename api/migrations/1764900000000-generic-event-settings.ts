// The generic-event settings for XProtect's Event Server (api/src/xprotect-events/): one row
// (id `xprotect`) holding the settings document as JSON, its version and when it changed.
// No row means the defaults: generic events off.
// Schema API only, types from the connected driver, like the first migration.
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1763800000000-initial-schema.js';

export class GenericEventSettings1764900000000 implements MigrationInterface {
  readonly name = 'GenericEventSettings1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(new Table({ name: 'generic_event_settings', columns: [c.id(), c.json('settings'), c.int('version'), c.time('updated_at')] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('generic_event_settings');
  }
}
