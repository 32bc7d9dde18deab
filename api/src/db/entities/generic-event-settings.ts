import { EntitySchema } from 'typeorm';

/**
 * The controller's generic-event settings for XProtect's Event Server (api/src/xprotect-events/):
 * one row, id `xprotect`, written by PUT /api/v1/xprotect/generic-events. `settings` is the
 * whole GenericEventSettings document as JSON; no row: the defaults (off).
 */
export interface GenericEventSettingsRow {
  id: string;
  settings: Record<string, unknown>;
  /** 1 higher with every accepted change. */
  version: number;
  updatedAt: Date;
}

export const GenericEventSettingsEntity = new EntitySchema<GenericEventSettingsRow>({
  name: 'GenericEventSettings',
  tableName: 'generic_event_settings',
  columns: {
    id: { type: String, length: 36, primary: true },
    settings: { type: 'simple-json' },
    version: { type: 'int' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
});
