// Every migration, oldest first. Listed by hand so that they load the same under tsx and from dist/.
import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';
import { AgentLink1764000000000 } from './1764000000000-agent-link.js';
import { Accounts1764200000000 } from './1764200000000-accounts.js';
import { ClusterPolicy1764400000000 } from './1764400000000-cluster-policy.js';
import { AgentCertificate1764650000000 } from './1764650000000-agent-certificate.js';
import { AgentSecretSealed1764700000000 } from './1764700000000-agent-secret-sealed.js';
import { GenericEventSettings1764900000000 } from './1764900000000-generic-event-settings.js';
import { FailoverRecords1765000000000 } from './1765000000000-failover-records.js';
import { ReportingViews1765100000000 } from './1765100000000-reporting-views.js';
import { Webhooks1765200000000 } from './1765200000000-webhooks.js';
import { ReportingRecords1765300000000 } from './1765300000000-reporting-records.js';
import { StandbyLeases1765400000000 } from './1765400000000-standby-leases.js';
import { ControllerShare1765500000000 } from './1765500000000-controller-share.js';
import { PoolModel1765600000000 } from './1765600000000-pool-model.js';
import { PoolSupervision1765700000000 } from './1765700000000-pool-supervision.js';
import { StatusVersion1765800000000 } from './1765800000000-status-version.js';

export const migrations = [InitialSchema1763800000000, AgentLink1764000000000, Accounts1764200000000, ClusterPolicy1764400000000, AgentCertificate1764650000000, AgentSecretSealed1764700000000, GenericEventSettings1764900000000, FailoverRecords1765000000000, ReportingViews1765100000000, Webhooks1765200000000, ReportingRecords1765300000000, StandbyLeases1765400000000, ControllerShare1765500000000, PoolModel1765600000000, PoolSupervision1765700000000, StatusVersion1765800000000];
