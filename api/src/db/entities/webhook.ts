import { EntitySchema } from 'typeorm';
import type { EventSeverity } from '../../model/vocabulary.js';
import { sealedColumnTransformer } from '../cluster-secrets.js';

/** Bound as associated data: a sealed webhook secret opens only as one. */
export const webhookSecretPurpose = 'webhook.secret';
/** The secret column's length: the sealed form (secret-box.ts) of a secret of up to 128 characters fits. */
export const webhookSecretColumnLength = 600;

/**
 * An outgoing HTTP notification (api/src/webhooks/): which stored events go to which URL,
 * signed with the webhook's secret. `enabled` is 0 or 1 (no booleans on every dialect).
 */
export interface WebhookRow {
  id: string;
  name: string;
  /** http or https, without credentials. */
  url: string;
  /**
   * The HMAC key of the signature header, given by the admin or generated (32 random bytes,
   * base64url). Shown once, in the answer that set it; never returned by GET nor logged; not
   * even loaded unless asked for (`select: false`). Stored sealed under the secrets key.
   */
  secret?: string;
  enabled: number;
  /** Kind patterns: an exact kind (`failover.claiming`), a prefix (`failover.*`) or `*`. */
  eventKinds: string[];
  severityMin: EventSeverity;
  /** Only this cluster's events; null: every cluster's. */
  clusterId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Incremented on every update; PATCH's optimistic `version`. */
  version: number;
}

export const WebhookEntity = new EntitySchema<WebhookRow>({
  name: 'Webhook',
  tableName: 'webhook',
  columns: {
    id: { type: String, length: 36, primary: true },
    name: { type: String, length: 64 },
    url: { type: String, length: 2048 },
    secret: { type: String, length: webhookSecretColumnLength, select: false, transformer: sealedColumnTransformer(webhookSecretPurpose, 'a webhook secret') },
    enabled: { type: 'int' },
    eventKinds: { type: 'simple-json', name: 'event_kinds' },
    severityMin: { type: String, length: 16, name: 'severity_min' },
    clusterId: { type: String, length: 36, nullable: true, name: 'cluster_id' },
    createdAt: { type: Date, createDate: true, name: 'created_at' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
    version: { type: 'int', version: true },
  },
  indices: [{ name: 'UQ_webhook_name', columns: ['name'], unique: true }],
});
