-- The SQL that twinrec's migrations (api/migrations) run on SQL Server, captured by
-- api/src/db/sqlserver-ddl.ts without a SQL Server. Regenerate: npm run db:sqlserver-ddl
-- (a test fails while this file is stale, and parses it with Microsoft's T-SQL parser).
-- It records what the schema API would send; it has not been run on a SQL Server here.

-- InitialSchema1763800000000
CREATE TABLE "cluster" ("id" nvarchar(36) NOT NULL, "name" nvarchar(64) NOT NULL, "mode" nvarchar(16) NOT NULL, "shared_address" nvarchar(255) NOT NULL, "preferred_node_id" nvarchar(36), "failback_policy" nvarchar(16) NOT NULL, "failback_hold_down_seconds" int NOT NULL, "description" nvarchar(1024) NOT NULL CONSTRAINT "DF_1650f36ffd5a6866164b702d019" DEFAULT '', "created_at" datetime2 NOT NULL CONSTRAINT "DF_c490979c3bb4747583e1187b272" DEFAULT getdate(), "updated_at" datetime2 NOT NULL CONSTRAINT "DF_f4c951ae132c3b08b32b24face7" DEFAULT getdate(), "version" int NOT NULL, CONSTRAINT "PK_b09d39b9491ce5cb1e8407761fd" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_cluster_name" ON "cluster" ("name");
GO
CREATE TABLE "node" ("id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "name" nvarchar(64) NOT NULL, "role" nvarchar(16) NOT NULL, "host_name" nvarchar(255) NOT NULL, "addresses" nvarchar(MAX) NOT NULL, "agent_url" nvarchar(2048), "recorder_id" nvarchar(36), "created_at" datetime2 NOT NULL CONSTRAINT "DF_57b9e16d10903404412fc887d48" DEFAULT getdate(), "updated_at" datetime2 NOT NULL CONSTRAINT "DF_2272e9d7195567557de2d28b295" DEFAULT getdate(), "version" int NOT NULL, CONSTRAINT "FK_node_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id") ON DELETE CASCADE, CONSTRAINT "PK_8c8caf5f29d25264abe9eaf94dd" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_node_cluster_name" ON "node" ("cluster_id", "name");
GO
CREATE INDEX "IDX_node_recorder" ON "node" ("recorder_id");
GO
CREATE TABLE "camera_pair" ("id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "camera_id" nvarchar(36) NOT NULL, "name" nvarchar(255) NOT NULL, "hardware_name" nvarchar(255) NOT NULL, "failover_level" nvarchar(16) NOT NULL, "created_at" datetime2 NOT NULL CONSTRAINT "DF_9f191adfa35f369547efc4130f5" DEFAULT getdate(), "updated_at" datetime2 NOT NULL CONSTRAINT "DF_ac31850da9577b8c38a9b95d03e" DEFAULT getdate(), CONSTRAINT "FK_camera_pair_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id") ON DELETE CASCADE, CONSTRAINT "PK_ed7111b4212ee5024c11defe0d9" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_camera_pair_cluster_camera" ON "camera_pair" ("cluster_id", "camera_id");
GO
CREATE TABLE "event" ("id" nvarchar(36) NOT NULL, "time" datetime2 NOT NULL, "cluster_id" nvarchar(36), "node_id" nvarchar(36), "kind" nvarchar(64) NOT NULL, "severity" nvarchar(16) NOT NULL, "message" nvarchar(2048) NOT NULL, "data" nvarchar(MAX) NOT NULL, CONSTRAINT "PK_30c2f3bbaf6d34a55f8ae6e4614" PRIMARY KEY ("id"));
GO
CREATE INDEX "IDX_event_time" ON "event" ("time");
GO
CREATE INDEX "IDX_event_cluster_time" ON "event" ("cluster_id", "time");
GO
CREATE TABLE "audit_entry" ("id" nvarchar(36) NOT NULL, "time" datetime2 NOT NULL, "actor" nvarchar(128) NOT NULL, "action" nvarchar(64) NOT NULL, "target" nvarchar(255) NOT NULL, "outcome" nvarchar(16) NOT NULL, "address" nvarchar(64), CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"));
GO
CREATE INDEX "IDX_audit_entry_time" ON "audit_entry" ("time");
GO

-- AgentLink1764000000000
ALTER TABLE "cluster" ADD "agent_secret" nvarchar(256);
GO
ALTER TABLE "node" ADD "web_server_uri" nvarchar(2048);
GO

-- Accounts1764200000000
CREATE TABLE "account" ("id" nvarchar(36) NOT NULL, "username" nvarchar(64) NOT NULL, "role" nvarchar(16) NOT NULL, "password_hash" nvarchar(255) NOT NULL, "password_changed_at" datetime2 NOT NULL, "last_login_at" datetime2, "created_at" datetime2 NOT NULL CONSTRAINT "DF_2740156ea8742b8df1ad9d97745" DEFAULT getdate(), "updated_at" datetime2 NOT NULL CONSTRAINT "DF_8bed31488e09ed64770378600bf" DEFAULT getdate(), "version" int NOT NULL, CONSTRAINT "PK_54115ee388cdb6d86bb4bf5b2ea" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_account_username" ON "account" ("username");
GO
CREATE TABLE "auth_session" ("id" nvarchar(36) NOT NULL, "account_id" nvarchar(36) NOT NULL, "secret_hash" nvarchar(64) NOT NULL, "created_at" datetime2 NOT NULL, "expires_at" datetime2 NOT NULL, "address" nvarchar(64), CONSTRAINT "FK_auth_session_account" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE CASCADE, CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_auth_session_secret_hash" ON "auth_session" ("secret_hash");
GO
CREATE INDEX "IDX_auth_session_account" ON "auth_session" ("account_id");
GO
CREATE INDEX "IDX_auth_session_expires_at" ON "auth_session" ("expires_at");
GO
CREATE TABLE "api_token" ("id" nvarchar(36) NOT NULL, "account_id" nvarchar(36) NOT NULL, "name" nvarchar(64) NOT NULL, "role" nvarchar(16) NOT NULL, "secret_hash" nvarchar(64) NOT NULL, "created_at" datetime2 NOT NULL, "expires_at" datetime2, "last_used_at" datetime2, CONSTRAINT "FK_api_token_account" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE CASCADE, CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_api_token_secret_hash" ON "api_token" ("secret_hash");
GO
CREATE INDEX "IDX_api_token_account" ON "api_token" ("account_id");
GO
CREATE TABLE "focus" ("id" nvarchar(36) NOT NULL, "holder" nvarchar(64) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "node_id" nvarchar(36) NOT NULL, "created_at" datetime2 NOT NULL, CONSTRAINT "FK_focus_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id") ON DELETE CASCADE, CONSTRAINT "PK_c53b97837bdb1f2f8c14c6ea1e0" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_focus_holder_cluster" ON "focus" ("holder", "cluster_id");
GO

-- ClusterPolicy1764400000000
ALTER TABLE "cluster" ADD "policy_version" int NOT NULL CONSTRAINT "DF_60d859759de5d633064ad392fcb" DEFAULT 1;
GO
ALTER TABLE "cluster" ADD "policy_settings" nvarchar(MAX);
GO
ALTER TABLE "cluster" ADD "policy_updated_at" datetime2;
GO
ALTER TABLE "audit_entry" ADD "details" nvarchar(MAX);
GO

-- AgentCertificate1764650000000
ALTER TABLE "node" ADD "agent_certificate_fingerprint" nvarchar(95);
GO

-- AgentSecretSealed1764700000000
ALTER TABLE "cluster" ALTER COLUMN "agent_secret" nvarchar(1200) NULL;
GO

-- GenericEventSettings1764900000000
CREATE TABLE "generic_event_settings" ("id" nvarchar(36) NOT NULL, "settings" nvarchar(MAX) NOT NULL, "version" int NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_5e528327b90fdf1146e179a0a51" PRIMARY KEY ("id"));
GO

-- FailoverRecords1765000000000
CREATE TABLE "failover_record" ("id" nvarchar(36) NOT NULL, "time" datetime2 NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "from_node_id" nvarchar(36), "to_node_id" nvarchar(36), "reason" nvarchar(32) NOT NULL, "trigger" nvarchar(16) NOT NULL, "detection_ms" int, "switch_ms" int, "epoch" int, "event_id" nvarchar(36) NOT NULL, CONSTRAINT "PK_06bb64968f1fcd512455355ca77" PRIMARY KEY ("id"));
GO
CREATE INDEX "IDX_failover_record_cluster_time" ON "failover_record" ("cluster_id", "time");
GO
CREATE UNIQUE INDEX "UQ_failover_record_event" ON "failover_record" ("event_id");
GO
CREATE VIEW "v_failover_history" AS SELECT r."id" AS "id", r."time" AS "time", r."cluster_id" AS "cluster_id", c."name" AS "cluster", r."from_node_id" AS "from_node_id", f."name" AS "from_node", r."to_node_id" AS "to_node_id", t."name" AS "to_node", r."reason" AS "reason", r."trigger" AS "trigger", r."detection_ms" AS "detection_ms", r."switch_ms" AS "switch_ms", r."epoch" AS "epoch" FROM "failover_record" r LEFT JOIN "cluster" c ON c."id" = r."cluster_id" LEFT JOIN "node" f ON f."id" = r."from_node_id" LEFT JOIN "node" t ON t."id" = r."to_node_id";
GO

-- ReportingViews1765100000000
CREATE VIEW "v_audit_log" AS SELECT a."id" AS "id", a."time" AS "time", a."actor" AS "actor", a."action" AS "action", a."target" AS "target", a."outcome" AS "outcome", a."address" AS "address", a."details" AS "details" FROM "audit_entry" a;
GO
CREATE VIEW "v_config_sync_history" AS SELECT e."id" AS "id", e."time" AS "time", e."cluster_id" AS "cluster_id", c."name" AS "cluster", e."node_id" AS "node_id", n."name" AS "node", e."kind" AS "kind", e."severity" AS "severity", e."message" AS "message", e."data" AS "data" FROM "event" e LEFT JOIN "cluster" c ON c."id" = e."cluster_id" LEFT JOIN "node" n ON n."id" = e."node_id" WHERE e."kind" LIKE 'config-sync.%';
GO

-- Webhooks1765200000000
CREATE TABLE "webhook" ("id" nvarchar(36) NOT NULL, "name" nvarchar(64) NOT NULL, "url" nvarchar(2048) NOT NULL, "secret" nvarchar(600) NOT NULL, "enabled" int NOT NULL, "event_kinds" nvarchar(MAX) NOT NULL, "severity_min" nvarchar(16) NOT NULL, "cluster_id" nvarchar(36), "created_at" datetime2 NOT NULL CONSTRAINT "DF_0e1a36672ef3c52ab7334285b68" DEFAULT getdate(), "updated_at" datetime2 NOT NULL CONSTRAINT "DF_6de83b2719586f5fab15db3eca4" DEFAULT getdate(), "version" int NOT NULL, CONSTRAINT "PK_e6765510c2d078db49632b59020" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_webhook_name" ON "webhook" ("name");
GO
CREATE TABLE "webhook_delivery" ("id" nvarchar(36) NOT NULL, "webhook_id" nvarchar(36) NOT NULL, "event_id" nvarchar(36) NOT NULL, "event_kind" nvarchar(64) NOT NULL, "attempt" int NOT NULL, "time" datetime2 NOT NULL, "outcome" nvarchar(16) NOT NULL, "http_status" int, "error" nvarchar(512), "duration_ms" int NOT NULL, CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"));
GO
CREATE INDEX "IDX_webhook_delivery_webhook_time" ON "webhook_delivery" ("webhook_id", "time");
GO

-- ReportingRecords1765300000000
CREATE TABLE "serving_span" ("id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "node_id" nvarchar(36) NOT NULL, "epoch" int NOT NULL, "day" nvarchar(10) NOT NULL, "start_at" datetime2 NOT NULL, "end_at" datetime2 NOT NULL, "duration_ms" int NOT NULL, "state" nvarchar(8) NOT NULL, CONSTRAINT "PK_087fe07db3c858b5de239b8d1fb" PRIMARY KEY ("id"));
GO
CREATE INDEX "IDX_serving_span_cluster_start" ON "serving_span" ("cluster_id", "start_at");
GO
CREATE INDEX "IDX_serving_span_node_day" ON "serving_span" ("node_id", "day");
GO
CREATE TABLE "camera_gap" ("id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "node_id" nvarchar(36) NOT NULL, "device_id" nvarchar(64) NOT NULL, "start_at" datetime2 NOT NULL, "end_at" datetime2 NOT NULL, "gap_seconds" decimal(12,3) NOT NULL, "missing_seconds" decimal(12,3) NOT NULL, "detected_at" datetime2 NOT NULL, "state" nvarchar(16) NOT NULL, "resolved_at" datetime2, CONSTRAINT "PK_63a2467e026f53cbf978862d11f" PRIMARY KEY ("id"));
GO
CREATE INDEX "IDX_camera_gap_cluster_start" ON "camera_gap" ("cluster_id", "start_at");
GO
CREATE INDEX "IDX_camera_gap_node_state" ON "camera_gap" ("node_id", "state");
GO
CREATE TABLE "backfill_job" ("id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "node_id" nvarchar(36) NOT NULL, "started_at" datetime2 NOT NULL, "ended_at" datetime2, "state" nvarchar(24) NOT NULL, "reason" nvarchar(512), "missing_seconds_at_start" decimal(14,3) NOT NULL, "missing_seconds" decimal(14,3) NOT NULL, "cameras_affected" int NOT NULL, "bytes_done" bigint NOT NULL, "bytes_total" bigint NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_decb91d71ea643de5a03bc3af40" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_backfill_job_node_started" ON "backfill_job" ("node_id", "started_at");
GO
CREATE INDEX "IDX_backfill_job_cluster_started" ON "backfill_job" ("cluster_id", "started_at");
GO
CREATE VIEW "v_serving_time_daily" AS SELECT s."day" AS "day", s."cluster_id" AS "cluster_id", c."name" AS "cluster", s."node_id" AS "node_id", n."name" AS "node", SUM(s."duration_ms") / 1000.0 AS "serving_seconds", SUM(s."duration_ms") / 864000.0 AS "serving_percent", COUNT(*) AS "spans", MIN(s."start_at") AS "first_start_at", MAX(s."end_at") AS "last_end_at" FROM "serving_span" s LEFT JOIN "cluster" c ON c."id" = s."cluster_id" LEFT JOIN "node" n ON n."id" = s."node_id" GROUP BY s."day", s."cluster_id", c."name", s."node_id", n."name";
GO
CREATE VIEW "v_camera_gaps" AS SELECT g."id" AS "id", g."start_at" AS "start_at", g."end_at" AS "end_at", g."cluster_id" AS "cluster_id", c."name" AS "cluster", g."node_id" AS "node_id", n."name" AS "node", g."device_id" AS "device_id", p."name" AS "camera", g."gap_seconds" AS "gap_seconds", g."missing_seconds" AS "missing_seconds", g."gap_seconds" - g."missing_seconds" AS "filled_seconds", g."state" AS "state", g."detected_at" AS "detected_at", g."resolved_at" AS "resolved_at" FROM "camera_gap" g LEFT JOIN "cluster" c ON c."id" = g."cluster_id" LEFT JOIN "node" n ON n."id" = g."node_id" LEFT JOIN "camera_pair" p ON p."cluster_id" = g."cluster_id" AND p."camera_id" = g."device_id";
GO
CREATE VIEW "v_backfill_jobs" AS SELECT j."id" AS "id", j."started_at" AS "started_at", j."ended_at" AS "ended_at", j."cluster_id" AS "cluster_id", c."name" AS "cluster", j."node_id" AS "node_id", n."name" AS "node", j."state" AS "state", j."reason" AS "reason", j."missing_seconds_at_start" AS "missing_seconds_at_start", j."missing_seconds" AS "missing_seconds", j."cameras_affected" AS "cameras_affected", j."bytes_done" AS "bytes_done", j."bytes_total" AS "bytes_total", j."updated_at" AS "updated_at" FROM "backfill_job" j LEFT JOIN "cluster" c ON c."id" = j."cluster_id" LEFT JOIN "node" n ON n."id" = j."node_id";
GO

-- StandbyLeases1765400000000
CREATE TABLE "standby_lease" ("standby_node_id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "protected_node_id" nvarchar(36), "epoch" int NOT NULL, "state" nvarchar(16) NOT NULL, "version" int NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_d0cdc936c949e20b0a7937e72e9" PRIMARY KEY ("standby_node_id"));
GO
CREATE UNIQUE INDEX "UQ_standby_lease_protected" ON "standby_lease" ("protected_node_id") WHERE "protected_node_id" IS NOT NULL;
GO
CREATE INDEX "IDX_standby_lease_cluster" ON "standby_lease" ("cluster_id");
GO
CREATE TABLE "pool_epoch" ("cluster_id" nvarchar(36) NOT NULL, "epoch" int NOT NULL, CONSTRAINT "PK_712875570d3384644a2f940e806" PRIMARY KEY ("cluster_id"));
GO

-- ControllerShare1765500000000
CREATE TABLE "controller_lease" ("name" nvarchar(64) NOT NULL, "holder" nvarchar(64) NOT NULL, "epoch" int NOT NULL, "expires_at" datetime2 NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_a44535f6b92be50296c9bc5615e" PRIMARY KEY ("name"));
GO
CREATE TABLE "node_status_share" ("node_id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "controller_id" nvarchar(64) NOT NULL, "status" nvarchar(MAX) NOT NULL, "report_interval_ms" int, "reported_at" datetime2 NOT NULL, CONSTRAINT "PK_36921d3f7d5ae1e721abf721686" PRIMARY KEY ("node_id"));
GO
CREATE INDEX "IDX_node_status_share_reported" ON "node_status_share" ("reported_at");
GO

-- PoolModel1765600000000
CREATE TABLE "failover_group" ("id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "name" nvarchar(64) NOT NULL, "created_at" datetime2 NOT NULL CONSTRAINT "DF_978b415d8edff2c5133443ab350" DEFAULT getdate(), "updated_at" datetime2 NOT NULL CONSTRAINT "DF_19ea9bcc26ce41760692590b67f" DEFAULT getdate(), "version" int NOT NULL, CONSTRAINT "PK_40bdbc1ad571f302ee38901bbfc" PRIMARY KEY ("id"));
GO
CREATE UNIQUE INDEX "UQ_failover_group_cluster_name" ON "failover_group" ("cluster_id", "name");
GO
CREATE TABLE "failover_group_member" ("standby_node_id" nvarchar(36) NOT NULL, "group_id" nvarchar(36) NOT NULL, "position" int NOT NULL, CONSTRAINT "PK_a25ee799b97835bb633d602ae26" PRIMARY KEY ("standby_node_id"));
GO
CREATE INDEX "IDX_failover_group_member_group" ON "failover_group_member" ("group_id");
GO
CREATE TABLE "pool_server" ("node_id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "primary_group_id" nvarchar(36), "secondary_group_id" nvarchar(36), "hot_standby_node_id" nvarchar(36), "standby_selection" nvarchar(16) NOT NULL, "shared_address" nvarchar(261), "updated_at" datetime2 NOT NULL, "version" int NOT NULL, CONSTRAINT "PK_1dabc715ea727867df5406821a1" PRIMARY KEY ("node_id"));
GO
CREATE UNIQUE INDEX "UQ_pool_server_hot_standby" ON "pool_server" ("hot_standby_node_id") WHERE "hot_standby_node_id" IS NOT NULL;
GO
CREATE INDEX "IDX_pool_server_cluster" ON "pool_server" ("cluster_id");
GO
CREATE TABLE "pool_standby" ("node_id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "camera_capacity" int NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_83122e18f82aba5317e7dee9e52" PRIMARY KEY ("node_id"));
GO
CREATE INDEX "IDX_pool_standby_cluster" ON "pool_standby" ("cluster_id");
GO
CREATE TABLE "pool_camera_level" ("node_id" nvarchar(36) NOT NULL, "device_id" nvarchar(36) NOT NULL, "level" nvarchar(16) NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_fd37e20149d96860a3ee3f19e0c" PRIMARY KEY ("node_id", "device_id"));
GO
CREATE TABLE "pool_recorder_config" ("node_id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "recorder_id" nvarchar(36) NOT NULL, "xml" nvarchar(MAX) NOT NULL, "sha256" nvarchar(64) NOT NULL, "received_at" datetime2 NOT NULL, CONSTRAINT "PK_5fb3b846623d6e30f1cf48f8cc3" PRIMARY KEY ("node_id"));
GO
CREATE TABLE "pool_server_state" ("node_id" nvarchar(36) NOT NULL, "cluster_id" nvarchar(36) NOT NULL, "state" nvarchar(MAX) NOT NULL, "updated_at" datetime2 NOT NULL, CONSTRAINT "PK_77f32a82e7178484ee98c2f81df" PRIMARY KEY ("node_id"));
GO
CREATE INDEX "IDX_pool_server_state_cluster" ON "pool_server_state" ("cluster_id");
GO

-- PoolSupervision1765700000000
CREATE TABLE "pool_supervision" ("cluster_id" nvarchar(36) NOT NULL, "supervised_at" datetime2 NOT NULL, CONSTRAINT "PK_97de70cd837931e2e5455f4df09" PRIMARY KEY ("cluster_id"));
GO

-- StatusVersion1765800000000
ALTER TABLE "node_status_share" ADD "status_version" nvarchar(80);
GO
