// GENERATED FILE: do not edit. Made by scripts/openapi-types.ts with openapi-typescript from the
// OpenAPI document (openApiDocument, api/src/http/openapi.ts). After changing the document,
// regenerate it with `npm run openapi:types` (npm run build does too) and commit the result;
// test/openapi-types.test.ts fails while it is stale. The console imports it through
// web/src/api/types.ts.

export interface paths {
    "/api/v1/clusters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List clusters with their nodes */
        get: operations["listClusters"];
        put?: never;
        /** Create a cluster, optionally with its nodes, in one transaction */
        post: operations["createCluster"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /** One cluster with its nodes */
        get: operations["getCluster"];
        put?: never;
        post?: never;
        /** Delete a cluster and its nodes */
        delete: operations["deleteCluster"];
        options?: never;
        head?: never;
        /**
         * Change a cluster; the mode cannot change
         * @description `preferredNodeId`, `failbackPolicy` and `failbackHoldDownSeconds` are settings of the cluster policy (`…/policy`), stored once: a change of any of them is a change of the policy, checked as a whole, with its version one higher and audited as `cluster.policy-changed`, so that both nodes get it.
         */
        patch: operations["updateCluster"];
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/agent-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set or generate the secret the cluster's agents present
         * @description Enrolls a cluster's agents: they register and report with this secret as their Bearer token, and the controller presents it to them with every relayed command. Give your own (`secret`) or let the controller generate one (`generate: true`): a generated secret is in this answer only, never shown again (`GET` shows `agentSecretSet`). Replacing a secret the cluster has needs `replace: true`: its agents are refused (401) until they present the new one. Audited as `cluster.agent-secret-set` with `generated` and `replaced`, never the value. Unless `agents.trustOnFirstUse` is on, agents cannot register before this is done.
         */
        put: operations["setAgentSecret"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /** The cluster's nodes */
        get: operations["listNodes"];
        put?: never;
        /**
         * Add a node to a cluster
         * @description `agentUrl` is read-only: the node's agent sets it when it registers with the cluster secret (the controller sends the secret there with every command); a body that sets it is refused (400 `validation-failed`).
         */
        post: operations["createNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        /** One node, with its storages as its agent last reported them */
        get: operations["getNode"];
        put?: never;
        post?: never;
        /**
         * Remove a node from its cluster
         * @description Removing the preferred node clears the cluster policy's `preferredNodeId` (a new policy version). In a failover pool, its pool rows go with it (settings, levels, RecorderConfig.xml, group place, standby lease).
         */
        delete: operations["deleteNode"];
        options?: never;
        head?: never;
        /**
         * Change a node
         * @description Agents know the preferred node by name: renaming it changes the cluster policy (a new version, audited as `cluster.policy-changed`). `agentUrl` is read-only: only the node's agent sets it, by registering with the cluster secret; a body that sets it is refused (400 `validation-failed`) and changes nothing.
         */
        patch: operations["updateNode"];
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/pool": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /**
         * The failover pool at a glance: each protected server with its failover settings and state, the failover groups with their sequences, each standby with its capacity, assignment and lease
         * @description A protected server's state comes from the standby leases (a standby taking it over or serving it: `failed-over`; syncing its recordings back: `failback-sync`) and the pool supervisor's state (failed without a standby: `waiting`, or `failover-needed` when the pool policy's failover is manual; `recovered`: healthy for the hold-down, stop pending because the pool policy's stop is manual). `recorderConfig` says whether its RecorderConfig.xml is on record (its SHA-256 and when it arrived; never the file).
         */
        get: operations["getPool"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/failover-groups": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a failover group (empty: set its standbys with `PUT …/standbys`)
         * @description At most 64 per pool. Audited as `failover-group.create`.
         */
        post: operations["createFailoverGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/failover-groups/{groupId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                groupId: string;
            };
            cookie?: never;
        };
        /** One failover group with its sequence */
        get: operations["getFailoverGroup"];
        put?: never;
        post?: never;
        /**
         * Delete a failover group; its standbys are in no group afterwards
         * @description Refused while a protected server names it as its primary or secondary group. Audited as `failover-group.delete`.
         */
        delete: operations["deleteFailoverGroup"];
        options?: never;
        head?: never;
        /**
         * Rename a failover group
         * @description `version` in the body (optional) refuses a change based on an older version with 409 `failover-group-version-conflict`; `If-Match` (optional) with 412. Audited as `failover-group.update`.
         */
        patch: operations["updateFailoverGroup"];
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/failover-groups/{groupId}/standbys": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                groupId: string;
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set a failover group's sequence: assign, remove and reorder its standbys in one change
         * @description One transaction: the standbys listed become the group's, in this order; those left out leave it. Each must be a standby (`failover` node) of this pool, listed once, in no other group and the hot standby of no server. The group's version moves on. Audited as `failover-group.standbys-set` with the sequence before and after.
         */
        put: operations["setFailoverGroupStandbys"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set a protected recording server's failover settings: primary and secondary failover group, hot standby, how a standby is chosen
         * @description The node must be a protected server (`primary`) of a pool. The groups are groups of this pool, a secondary one only with a primary one and another one. A hot standby is a standby (`failover`) of this pool in no group and the hot standby of no other server. While the server is failed over (a standby takes it over, serves it or syncs back to it) a change is refused with 409 `pool-failed-over-confirm`, which names the standby: it applies at the next failover, not to the running one; send `confirm: true` to make it (seed 003 warns and asks). A change that changes nothing needs no confirmation and is not audited. Audited as `node.failover-set`.
         */
        put: operations["setProtectedServerFailover"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/standby": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set a standby's camera capacity
         * @description The node must be a standby (`failover`) of a pool. A takeover leaves the cameras beyond its capacity out, with an event naming them; `capacity-closest` selection chooses by it. Audited as `node.standby-set`.
         */
        put: operations["setPoolStandby"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/camera-levels": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        /**
         * A protected server's cameras, as its agent last reported them, with their failover level (`full` unless set)
         * @description Then the levels stored for cameras its agent no longer reports: set them back to `full` to clear them.
         */
        get: operations["getCameraFailoverLevels"];
        /**
         * Set the failover level of some cameras of a protected server: full, live only, or none
         * @description Cameras not listed keep their level; `full`, the default, removes a stored level. While the server is failed over (a standby takes it over, serves it or syncs back to it) a change is refused with 409 `pool-failed-over-confirm`, which names the standby: it applies at the next failover, not to the running one; send `confirm: true` to make it (seed 003 warns and asks). A change that changes nothing needs no confirmation and is not audited. Audited as `node.camera-levels-set` with how many changed to each level.
         */
        put: operations["setCameraFailoverLevels"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/start": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Manual failover: a standby takes the protected server over
         * @description Gives a free standby (the one named, or the one the pool's rules choose) to the server: lease `taking-over` under the pool's next epoch; the supervisor orders the takeover. For a server in trouble or failed (a healthy one is refused with `server-healthy`). Audited as `pool.failover-start`.
         */
        post: operations["startFailover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/stop": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop failover: the standby gives the identity back and the server resumes
         * @description The lease leaves `serving`: `syncing-back` with `recordings: sync` (the standby stays held until finish failback: the failback sync itself is not built yet), `free` with `discard`; a takeover not yet serving is freed. The supervisor releases the standby, then resumes the server under the pool's next epoch. Audited as `pool.failover-stop`.
         */
        post: operations["stopFailover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/finish-failback": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish failback: the standby held for the failback sync returns to its group
         * @description For a lease `syncing-back`: after the recordings were copied back by hand, or to discard them. Audited as `pool.failback-finish`.
         */
        post: operations["finishFailback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/replace": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a failed-over protected server for good with the standby serving it or another free standby
         * @description For a server a standby serves (else `not-failed-over`), in one transaction: the replacing standby's lease is closed, it leaves the standbys and its group and becomes the protected server (failover settings, camera levels, RecorderConfig.xml on record, the recorder id), and the old protected node is deleted from the pool. The pool supervisor then orders the replacing node's agent to switch its role for good (become-protected, retried with backoff until its agent reports as a protected server; `pool.replacement-failed`, `pool.replacement-completed`). The standby serving the server keeps the identity it runs and the recordings, and serves on. Another standby (`standbyNodeId`: free, reachable, nobody's hot standby) takes the identity (its recorder stopped), while the serving standby's lease serves it under the same epoch; the pool's failback follows (hold-down, stop of failover, the failback sync of the failover window's recordings from the serving standby, the resume), and the serving standby is free after. Refused without the server's RecorderConfig.xml or shared address on record. `confirm: true` is required. Audited as `pool.replace` (with `replacedBy` and `via`).
         */
        post: operations["replaceProtectedServer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/state": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /**
         * Which node serves, and what each node reported last
         * @description Joins the nodes with their agents' latest reports. A node is `reachable` while its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs; one that is not is not `serving`, its `haStatus` is `Unknown`, and its other fields show what it last said. Epoch fencing decides who serves, and the state follows it: of the reachable nodes that say they serve, the one with the highest epoch is the Serving node; one under a lower epoch is `steppingDown` (shown as Standby, not serving); two under the same epoch are a `conflict`. Each node says which cluster policy version it runs (`policyVersion`) and whether that is the controller's (`policyCurrent`).
         */
        get: operations["getClusterState"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/policy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /**
         * The cluster policy: everything both nodes must agree on, with the version each node runs
         * @description Preferred node, failback, failover profile and timing, failover cap, triggers, boot behaviour, maintenance and backfill (mode, bandwidth, transfers, daily window), owned by the controller: agents get it with every register and report answer (contracts/cluster-policy-v1.ts, the preferred node by name) and apply a higher version than they run. `effective` shows what null overrides resolve to. The ETag (`"p<version>"`) covers the settings, not the versions the nodes report.
         */
        get: operations["getClusterPolicy"];
        /**
         * Set every setting of the cluster policy
         * @description The body is every setting. The settings are checked as a whole, as agents check them: every bound, and the peer timeout covering at least 3 heartbeats (with the profile's values where an override is null); every issue is listed in one `validation-failed` problem. The preferred node must be a node of the cluster whose name its agent can have. An accepted change that changes a setting makes the version one higher and is audited as `cluster.policy-changed` with the versions before and after, in the same transaction; one that changes nothing keeps the version. On any error nothing is stored. `If-Match` (optional) refuses a lost update.
         */
        put: operations["replaceClusterPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change some settings of the cluster policy
         * @description The body is some settings, merged into the current ones field by field (an object's other fields stay); the result is checked as a whole. The settings are checked as a whole, as agents check them: every bound, and the peer timeout covering at least 3 heartbeats (with the profile's values where an override is null); every issue is listed in one `validation-failed` problem. The preferred node must be a node of the cluster whose name its agent can have. An accepted change that changes a setting makes the version one higher and is audited as `cluster.policy-changed` with the versions before and after, in the same transaction; one that changes nothing keeps the version. On any error nothing is stored. `If-Match` (optional) refuses a lost update.
         */
        patch: operations["updateClusterPolicy"];
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/switch": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand the Serving role to the standby node
         * @description Relays `switch` to the Serving node's agent with the cluster secret. The agent releases the shared address and its peer claims it under a higher epoch; `GET …/state` shows when that happened. The body is optional. In a cloned pair, when the node that would take over lacks recordings the Serving node holds (its agent's last gap audit: `missingSeconds` > 0), the switch is refused with `target-missing-data`, which says how much and the ranges of each camera (at most 64 cameras): backfill fills them. `force: true` switches anyway; the audit entry (`cluster.switch`) then records `forced`, the node and the seconds it lacked.
         */
        post: operations["switchServing"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /**
         * What each node lacks of what its peer holds, and how its backfill job stands
         * @description Each node's gap audit and backfill job, as its agent last reported them (fresh or not; `reachable` says which): its effective retention, since when it is complete, the missing seconds per camera with the ranges, the job's state, bytes and blocks done of total, rate and ETA. Agents without a storage adapter (or older than backfill) report none: `backfill` is null. With the cluster's `dataMissing` and the missing seconds summed.
         */
        get: operations["getClusterBackfill"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /**
         * The availability timeline: which node served when, the failovers, switches and failbacks, and each node's data gaps
         * @description For the window [`from`, `to`), 1 minute to 30 days long (default: the 24 h before `to`, which defaults to now; a lone `from` takes the 24 h after it). Per node: its serving bands (the serving spans recorded from its reports, clipped to the window; spans under one epoch less than 2 s apart are one band), its gap bands (the union of its cameras' gaps per state: open, filled with when, expired) and its serving time and share of the window. The markers are the failover history (`GET /api/v1/reports/failover-history`) in the window. `unservedSeconds`: the time in which no node served, counted from the first serving ever recorded and up to now. At most 5000 bands and markers (`truncated`).
         */
        get: operations["getClusterTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/backfill/start": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start filling: the placeholders of what a node lacks are filled from its peer now
         * @description Relays `backfill-start` to the agent of the node named in the body (`node`), or by default to the nodes said below, all at once, with the cluster secret. The way to fill in the `placeholders` mode, and to retry a failed job. By default it goes to every node whose last report says it lacks data (every node that reports a backfill status when none does). Audited as `cluster.backfill-start` under the caller's account, with the nodes asked, those that took it, refused it or could not be reached. The body is optional.
         */
        post: operations["backfillStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/backfill/pause": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause filling: an operator's hold, kept by the agent across restarts until resumed
         * @description Relays `backfill-pause` to the agent of the node named in the body (`node`), or by default to the nodes said below, all at once, with the cluster secret. By default it goes to every node that reports a backfill status. Audited as `cluster.backfill-pause` under the caller's account, with the nodes asked, those that took it, refused it or could not be reached. The body is optional.
         */
        post: operations["backfillPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/backfill/resume": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume filling after an operator's pause
         * @description Relays `backfill-resume` to the agent of the node named in the body (`node`), or by default to the nodes said below, all at once, with the cluster secret. By default it goes to every node that reports a backfill status. Audited as `cluster.backfill-resume` under the caller's account, with the nodes asked, those that took it, refused it or could not be reached. The body is optional.
         */
        post: operations["backfillResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/maintenance": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn maintenance (no automatic failover) on or off
         * @description Relays `maintenance-on` or `maintenance-off` to one reachable agent, the Serving node's first, which acts at once; the flag is cluster-wide and reaches the peer through heartbeats. Once an agent took it, the cluster policy's `maintenance` keeps it (a new policy version, audited as `cluster.policy-changed`), so that it survives restarts and both nodes get it with their next answer. A refused or undelivered command changes nothing. A 503 after an agent took the command means the policy could not store it: send it again.
         */
        post: operations["setMaintenance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Device Overview of every cluster: each camera connected, disconnected, in overflow, mismatched
         * @description Built from the node status cache (the agents' last reports) only, never by asking a recorder, and kept for about a second. A camera is listed once per cluster, by its device id; the two nodes of a cloned pair report the same ids.
         */
        get: operations["listCameras"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/cameras": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        /**
         * Device Overview of one cluster
         * @description As `GET /api/v1/cameras`, for one cluster.
         */
        get: operations["listClusterCameras"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events, newest first, filtered, a page at a time
         * @description Pages by cursor: pass the answer's `next` as `before` for the next, older page. Events from agents carry the time they happened on the node, so one that arrives late lands at its own time.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events: every new event as it is stored, with the same filters
         * @description Each event is an SSE message whose `id:` is its cursor and whose `data:` is the `Event` as JSON. With `Last-Event-ID` (sent by EventSource on reconnect) the stream first replays, oldest first, the events after that cursor from the database, at most 1000; with `since` and no Last-Event-ID, the events since then. When more were due, an `event: replay-truncated` message gives the `before` cursor to page the rest with `GET /api/v1/events`. A comment line every 15 s keeps the connection alive. An event that arrives late (an agent sending what it queued) is streamed when stored, so cursors in a stream are not always increasing and a resumed stream may repeat an event: use the event `id` to drop repeats. At most 100 streams are open at once, and at most 5 per account over all its sessions and tokens; the controller ends them when it stops.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in: opens a console session (cookie)
         * @description Sets `twinrec_session` (HttpOnly, SameSite=Strict, Path=/, Secure when auth.cookieSecure) for auth.sessionTtlMs. The name is compared in lower case and must be an account name (a name of any other form is a wrong name). Failed logins are counted within auth.loginFailureWindowMs per account and client address, per account from all addresses, and per address; a login is counted as it arrives, before its password is checked, so parallel attempts cannot exceed the limits. At auth.loginFailuresPerAccountMax failures for an account from one address, that address may not try it again for the window; past auth.loginFailuresPerAccountTotalMax for the account from all addresses, only addresses without a failure for it may; at auth.loginFailuresPerAddressMax the address is refused. Refused logins get 429 without their password being checked. The client address is the TCP peer, or the one trusted proxies name (http.trustProxy); IPv6 addresses are counted by /64. Every success and failure is audited (`auth.login`).
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out: ends the session and clears its cookie
         * @description Always answers 204 and clears the cookie; a session that exists is deleted and the logout audited. A token caller has no session: nothing changes.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in: the account, how (session or token), what it may do, and its focus */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change one's own password
         * @description Needs the current password; a wrong one is a `validation-failed` at `/body/currentPassword` and counts as a failed login. Ends the account's other sessions (the caller's own stays) and revokes every API token of the account, the caller's own included: whoever knew the old password may have made them.
         */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every account, by name */
        get: operations["listUsers"];
        put?: never;
        /** Create an account */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an account with its sessions and tokens */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Change an account's role, or set a new password (which ends its sessions and revokes its API tokens) */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's API tokens; an admin sees every account's */
        get: operations["listTokens"];
        put?: never;
        /**
         * Create an API token for the caller (shown once)
         * @description Send it as `Authorization: Bearer trk_…`. Its role defaults to the caller's and cannot be higher; at each request it acts with the lower of its role and its owner's current role. Only its SHA-256 is stored. A caller using a token that ends cannot make one that outlives it: `expiresAt` is then required and no later than its own token's end (else `validation-failed` at `/body/expiresAt`).
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tokenId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a token: the caller's own, or any for an admin
         * @description Only a token that may do no more than the caller: its role bounded by its owner's, at most the caller's (a viewer token cannot revoke its account's operator token).
         */
        delete: operations["deleteToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first, filtered, a page at a time
         * @description Every change and every refused change (clusters, nodes, cluster policies, switch, maintenance, backfill commands, focus, accounts, tokens), every login and logout, and every change refused for the caller's role (`access.denied`). Pages by cursor: pass the answer's `next` as `before`.
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/focus": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Focus a node of the cluster: where to reach its own live view and configuration
         * @description For this session (a token caller: this token), replacing its focus in the cluster. Clients keep using the shared address and the Serving node; the focus only tells the console which node to show directly, and whether it is the one serving. Audited (`cluster.focus`); listed by `GET /api/v1/auth/session`.
         */
        post: operations["setFocus"];
        /** End this session's focus in the cluster */
        delete: operations["clearFocus"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An agent registers its node in its cluster
         * @description Called by agents, not operators. The secret must be the one an admin set for the cluster (`PUT /api/v1/clusters/{clusterId}/agent-secret`); it is checked before the body. Only with `agents.trustOnFirstUse` on (the demo) does an unknown cluster name create a cloned pair that keeps the presented secret (16 to 256 characters), and a cluster without a secret adopt it. Every refusal is the same 401, whether or not the cluster exists. The node is created or updated by name, with its `agentUrl` and `agentCertificateFingerprint` (the only way they are set; commands to an https agent are pinned to that certificate, and a changed one is audited as `node.certificate-changed` with both fingerprints): rank 0 is the primary, rank 1 the secondary. A failover pool's agent sends `pool` instead (peerName and rank are then ignored): with trust on first use it creates a pool; a standby becomes a `failover` node with its camera capacity, a protected recording server a `primary` node with its shared address; a pool's agent never joins a cloned pair nor a pair's agent a pool (409 `pool-mode-mismatch`), and a pool node keeps its role (409 `role-conflict`). The answer carries the cluster policy (`policy`).
         */
        post: operations["registerAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An agent reports its node's status and new events; the answer is the witness
         * @description Called by agents, not operators, every second or so. The secret is checked (for the body's `clusterId`) before the body. Events (at most 200, each event's `data` at most 8 levels deep and 16384 bytes as JSON) are stored once each, by their id, so a report may be retried safely. `peer.alive` tells whether the other node reported within `witnessWindowMs` (the agent's own window, whatever the controller counts as reachable). The answer carries the cluster policy (`policy`); the report's `status.policyVersion` says which version the node runs.
         */
        post: operations["reportAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/recorder-config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A failover pool's protected recording server pushes its RecorderConfig.xml
         * @description Called by agents, not operators: a protected recording server's agent (agent.yaml `pool.role: protected`) at registration and whenever the file's SHA-256 changes. The secret is checked (for the body's `clusterId`) before the body. The file (base64 of its exact bytes, at most 8 MiB of text, and their SHA-256) must parse as a RecorderConfig.xml; its `recorder/id` must be the node's registered recorder id when it has one. Stored (one per protected server, the last push wins) as what a standby clones when it takes the server over; a changed file is audited as `pool.recorder-config-received`. Never returned by the API.
         */
        post: operations["pushRecorderConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/xprotect/generic-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Generic events for XProtect's Event Server: the settings, and what was sent since the controller started
         * @description The controller sends an XProtect generic event for each `failover`, `failback`, `node-down`, `data-missing`, `backfill-completed` in any cluster, once the event reaches it (agents report within a second), so that XProtect rules and alarms can act on them. Each event is one TCP connection to the Event Server's generic-event data source (International: text + CR LF in UTF-8, echo "Statistics"; Compatible: text in the ANSI code page, echo "All bytes"). Sending never holds up anything else: events wait in a bounded queue (the oldest is dropped when it is full), failed attempts are retried with exponential backoff and jitter, a bounded number of times. Prometheus: `twinrec_xprotect_generic_events_sent_total`, `…_generic_event_attempts_failed_total`, `…_generic_events_dropped_total`, `…_generic_events_queued`. Defaults: off, every kind on with its default message.
         */
        get: operations["getGenericEvents"];
        /**
         * Set every generic-event setting
         * @description Takes effect at once: the next event is sent with these settings, and a retry waiting for the old ones is tried now with the new ones; turning generic events off drops what waits. A message template may use only the placeholders its kind fills (listed under `kinds`); any other, or an unpaired brace, is refused with `generic-event-settings-invalid` listing every issue (`errors`), as is `enabled` without a host. In XProtect, enable the data source (disabled by default since 2025 R1), allow the controller's address unless it runs on the Event Server's host, and define generic events whose expressions match the messages (e.g. Search `twinrec failover`). An accepted change that changes something makes the version one higher and is audited as `xprotect.generic-events-changed` with the versions and the changed settings; nothing is stored on any error. `If-Match` (optional) refuses a lost update.
         */
        put: operations["setGenericEvents"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/xprotect/generic-events/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one generic event now, to check the Event Server settings and the XProtect generic events that should match
         * @description Sent at once with the stored Event Server settings, whether generic events are on or not, outside the queue and without retries: the answer says what the Event Server said (International: its statistics, with `matches` 0 when no generic event matched the text). Audited as `xprotect.generic-event-test` with the outcome.
         */
        post: operations["testGenericEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every webhook, by name (never its secret)
         * @description A webhook POSTs each stored event it wants (kind pattern, minimum severity, optionally one cluster) to its URL as JSON: `{ id, kind, severity, time, cluster: {id, name} | null, node: {id, name} | null, message, data, webhook: {id} }`. Headers: `Content-Type: application/json`, `User-Agent: twinrec/<version>`, `X-Twinrec-Event-Id` (the same in every retry: deduplicate on it), `X-Twinrec-Delivery-Attempt` (1, 2, …), and `X-Twinrec-Signature: t=<unix seconds>,v1=<hex>`, where `<hex>` is HMAC-SHA256 with the webhook's secret over `<t>.<body>` (the raw body bytes). To verify (Node): `const [t, v1] = …parse the header…; crypto.timingSafeEqual(Buffer.from(v1, 'hex'), crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest())` and refuse a `t` more than 5 minutes old. A 2xx answer is delivered; anything else (another status, a redirect, no answer within `webhooks.timeoutMs`, default 5 s) fails and is retried with exponential backoff and jitter (`webhooks.retryDelayMsBase` 1 s doubling to `webhooks.retryDelayMsMax` 60 s), `webhooks.attemptsMax` (6) attempts in all, then dropped with a `dropped` entry in the delivery log and a warning in the controller's log. At most 4 deliveries are in flight at once and 512 wait; beyond that the oldest waiting one is dropped. Delivery never holds up the agents' reports or failover: it only queues as events are stored. Prometheus: `twinrec_webhook_deliveries_total{outcome}`, `twinrec_webhook_queue_depth`, `twinrec_webhook_delivery_seconds`.
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Create a webhook; its secret is in this answer only
         * @description Takes effect at once. The secret is generated (32 random bytes, base64url) unless given, stored encrypted like the cluster secrets, and shown in this answer only. Audited as `webhook.created` with the name and the URL's host (never its path, query or the secret).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        /** One webhook (never its secret) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook and its delivery log
         * @description What waits for it is not sent. Audited as `webhook.deleted`.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change some settings of a webhook
         * @description Takes effect at once, also for deliveries waiting for a retry. `version` in the body (optional) refuses a change based on an older version with 409 `webhook-version-conflict`; `If-Match` (optional) with 412. A change that changes something makes the version one higher and is audited as `webhook.changed` with the changed settings. Disabling drops what waits for it.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/v1/webhooks/{webhookId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give a webhook a new generated secret, shown in this answer only
         * @description The old secret stops at once: the next attempt, retries included, is signed with the new one. Audited as `webhook.secret-rotated` (never the value).
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        /**
         * The delivery log: the newest attempts first
         * @description One entry per attempt (`delivered` or `failed`) and one per delivery given up (`dropped`). The controller keeps the newest 200 per webhook.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhookId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a `webhook.test` event now and answer what the receiver said
         * @description Sent at once, enabled or not, outside the queue and without retries, signed like any delivery; a receiver that fails it is an answer (`outcome: failed`), not an error. In the delivery log, and audited as `webhook.test` with the outcome.
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The controller's HTTPS certificate: whether it serves HTTPS (http.tls), and the certificate's SHA-256 fingerprint (what agents pin in agent.yaml controller.fingerprint), subject, validity and source (configured, or generated at first start) */
        get: operations["getTls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Which controller answered, and which controller runs each singleton job (the stale-agent sweep, webhook delivery, generic events): the holder of its lease in the database, with its epoch and expiry
         * @description With several controllers on one PostgreSQL or SQL Server database each job runs on one of them at a time; when its holder dies another takes the lease over once it expires (`leases.ttlMs`, by the database's clock). On SQLite the one controller holds every lease. `/metrics` shows the same per controller as `twinrec_controller_lease_held{lease}`.
         */
        get: operations["getSystem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/failover-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The failover history: every change of the Serving role, as JSON or CSV
         * @description Rows of the SQL view `v_failover_history`. Columns, in order: `id`, `time` (ISO 8601 UTC, the decision on the deciding agent), `cluster_id`, `cluster`, `from_node_id`, `from_node`, `to_node_id`, `to_node`, `reason` (peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health, failback, switch, swap), `trigger` (automatic or manual), `detection_ms` (from the peer's last heartbeat or the recorder's first trouble to the decision; null for failbacks and switches), `switch_ms` (from the decision to the new node's serving endpoint claimed; null until its agent reports it), `epoch`. Recorded when the agents' events arrive, not inferred later. Oldest first, for `from` ≤ time < `to` (default: the last 30 days) and optionally one cluster; at most 10,000 rows (`truncated`, and the header `X-Twinrec-Truncated`). CSV with `Accept: text/csv` or `format=csv` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).
         */
        get: operations["getFailoverHistoryReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/config-sync-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The config sync history: every RecorderConfig.xml push, apply and refusal, as JSON or CSV
         * @description Rows of the SQL view `v_config_sync_history` (the `config-sync.*` events). Columns, in order: `id`, `time`, `cluster_id`, `cluster`, `node_id`, `node`, `kind`, `severity`, `message`, `data` (JSON text). Oldest first, for `from` ≤ time < `to` (default: the last 30 days) and optionally one cluster; at most 10,000 rows (`truncated`, and the header `X-Twinrec-Truncated`). CSV with `Accept: text/csv` or `format=csv` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).
         */
        get: operations["getConfigSyncHistoryReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/serving-time-daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Serving time per node per UTC day (availability), as JSON or CSV
         * @description Rows of the SQL view `v_serving_time_daily`, one per node and UTC day, ordered by day, cluster and node; `from` and `to` select the days that overlap them. Columns, in order: `day` (YYYY-MM-DD, UTC), `cluster_id`, `cluster`, `node_id`, `node`, `serving_seconds`, `serving_percent` (of the whole day), `spans`, `first_start_at`, `last_end_at`. Recorded by the controller from the nodes' reports as they arrive (table `serving_span`): a node counts as serving from its first report that says so to its last, never across a silence longer than `agents.staleAfterMs`. Oldest first, for `from` ≤ time < `to` (default: the last 30 days) and optionally one cluster; at most 10,000 rows (`truncated`, and the header `X-Twinrec-Truncated`). CSV with `Accept: text/csv` or `format=csv` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).
         */
        get: operations["getServingTimeDailyReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/camera-gaps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Gaps per camera and node, and whether backfill filled them, as JSON or CSV
         * @description Rows of the SQL view `v_camera_gaps`, selected and ordered by `start_at`. Columns, in order: `id`, `start_at`, `end_at`, `cluster_id`, `cluster`, `node_id`, `node`, `device_id`, `camera`, `gap_seconds`, `missing_seconds`, `filled_seconds`, `state` (open, filled, expired), `detected_at`, `resolved_at`. Recorded from each node's gap audits (what it lacks of what its peer holds, within its retention) as they arrive. Oldest first, for `from` ≤ time < `to` (default: the last 30 days) and optionally one cluster; at most 10,000 rows (`truncated`, and the header `X-Twinrec-Truncated`). CSV with `Accept: text/csv` or `format=csv` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).
         */
        get: operations["getCameraGapsReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/backfill-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Backfill jobs, as JSON or CSV
         * @description Rows of the SQL view `v_backfill_jobs`, selected and ordered by `started_at`. Columns, in order: `id`, `started_at`, `ended_at`, `cluster_id`, `cluster`, `node_id`, `node`, `state`, `reason`, `missing_seconds_at_start`, `missing_seconds`, `cameras_affected`, `bytes_done`, `bytes_total`, `updated_at`. Oldest first, for `from` ≤ time < `to` (default: the last 30 days) and optionally one cluster; at most 10,000 rows (`truncated`, and the header `X-Twinrec-Truncated`). CSV with `Accept: text/csv` or `format=csv` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).
         */
        get: operations["getBackfillJobsReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, as JSON or CSV (admins)
         * @description Rows of the SQL view `v_audit_log`. Columns, in order: `id`, `time`, `actor`, `action`, `target`, `outcome`, `address`, `details` (JSON text). No secret is ever in an audit entry. Oldest first, for `from` ≤ time < `to` (default: the last 30 days); at most 10,000 rows (`truncated`, and the header `X-Twinrec-Truncated`). CSV with `Accept: text/csv` or `format=csv` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).
         */
        get: operations["getAuditReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/support/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a support snapshot: one zip to send to support (also `twinrec support snapshot --out F.zip`)
         * @description The zip holds `manifest.json` (versions, host, its files, which agents answered and what could not be collected), `controller/config.json` (the effective configuration, secrets masked), `controller/clusters.json` (every cluster with its nodes' live state and policy version), `controller/events.json` and `controller/audit.json` (the newest 1000 of each), `controller/logs/…` (the controller's log files when `log.file` is set, newest first, 32 MB at most) and `agents/<cluster>/<node>.json` (each agent's own snapshot through its API: version, agent.yaml with secrets masked, node status, cluster policy, the newest lines of its log file). No password, token or cluster secret is in it. Audited as `support.snapshot` before the first byte is sent; a snapshot that cannot be audited is not sent. Agents are asked 8 at a time, 10 s each.
         */
        get: operations["getSupportSnapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tls/certificate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the controller's HTTPS certificate (PEM), e.g. as an agent's controller.caFile or for a browser's trust store. Compare its fingerprint with the one the controller printed at start: a download alone proves nothing */
        get: operations["downloadTlsCertificate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: answers while the process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database is reachable and every migration is applied */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: HTTP requests and latencies, database health, process, and per node (`cluster_id`, `node_id`, `node`) its backfill as last reported: `twinrec_backfill_missing_seconds`, `twinrec_backfill_bytes_copied`, `twinrec_backfill_queue_blocks`; generic events to XProtect: `twinrec_xprotect_generic_events_sent_total`, `twinrec_xprotect_generic_event_attempts_failed_total`, `twinrec_xprotect_generic_events_dropped_total`, `twinrec_xprotect_generic_events_queued`; webhooks: `twinrec_webhook_deliveries_total`, `twinrec_webhook_queue_depth`, `twinrec_webhook_delivery_seconds`; node status shared with other controllers: `twinrec_status_share_writes_total`, `twinrec_status_share_status_bytes_total` */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AgentPolicy: {
            /** Format: int64 */
            version: number;
            settings: {
                preferredNode: string | null;
                failback: {
                    /** @enum {string} */
                    policy: "automatic" | "manual";
                    holdDownSeconds: number;
                };
                failover: {
                    /** @enum {string} */
                    profile: "conservative" | "fast";
                    heartbeatIntervalMs: number | null;
                    peerTimeoutMs: number | null;
                    capCount: number;
                    capWindowMinutes: number;
                };
                triggers: {
                    recordingShare: {
                        enabled: boolean;
                        minPercent: number;
                        graceMs: number | null;
                    };
                    storageUnavailable: {
                        enabled: boolean;
                        graceMs: number | null;
                    };
                    serviceDown: {
                        enabled: boolean;
                        graceMs: number | null;
                    };
                };
                /** @enum {string} */
                boot: "keep" | "start" | "stop";
                maintenance: boolean;
                /**
                 * @default {
                 *       "mode": "enabled",
                 *       "bandwidthMbps": 400,
                 *       "transfersMax": 4,
                 *       "window": null
                 *     }
                 */
                backfill: {
                    /** @enum {string} */
                    mode: "enabled" | "placeholders" | "disabled";
                    bandwidthMbps: number;
                    transfersMax: number;
                    window: {
                        startMinute: number;
                        endMinute: number;
                    } | null;
                };
                /**
                 * @default {
                 *       "triggers": {
                 *         "disconnectedSeconds": 10,
                 *         "serviceDown": {
                 *           "enabled": true,
                 *           "seconds": 10
                 *         },
                 *         "storage": {
                 *           "enabled": true,
                 *           "seconds": 30
                 *         }
                 *       },
                 *       "failover": "automatic",
                 *       "stopFailover": "automatic",
                 *       "holdDownSeconds": 300,
                 *       "failbackRecordings": "sync",
                 *       "failbackStallMinutes": 30
                 *     }
                 */
                pool: {
                    triggers: {
                        disconnectedSeconds: number;
                        serviceDown: {
                            enabled: boolean;
                            seconds: number;
                        };
                        storage: {
                            enabled: boolean;
                            seconds: number;
                        };
                    };
                    /** @enum {string} */
                    failover: "automatic" | "manual";
                    /** @enum {string} */
                    stopFailover: "automatic" | "manual";
                    holdDownSeconds: number;
                    /** @enum {string} */
                    failbackRecordings: "sync" | "discard";
                    /** @default 30 */
                    failbackStallMinutes: number;
                };
            };
        };
        AgentRegistration: {
            /** Format: uuid */
            clusterId: string;
            /** Format: uuid */
            nodeId: string;
            policy?: components["schemas"]["AgentPolicy"];
        };
        AgentReportAnswer: {
            /**
             * Format: int64
             * @description How many of the report's events are stored (all of them)
             */
            eventsStored: number;
            peer: {
                /** @description The peer reported within witnessWindowMs */
                alive: boolean;
                lastReportAgoMs: number | null;
                /** @enum {string} */
                state?: "STOP" | "WAIT" | "ALONE" | "PRIM" | "SECOND";
                serving?: boolean;
                /** Format: int64 */
                epoch?: number;
                uptimeSeconds?: number;
            };
            policy?: components["schemas"]["AgentPolicy"];
        };
        /** @description Sets the secret agents of the cluster present; give `secret` or `generate: true` */
        AgentSecretRequest: {
            /** @description The secret, 16 to 256 printable ASCII characters without spaces; the agents read it from their `cluster.secretFile` */
            secret: string;
            /**
             * @description Confirms replacing a secret the cluster already has: its agents are refused (401) until they present the new one
             * @default false
             */
            replace?: boolean;
        } | {
            /**
             * @description The controller generates a secret (32 random bytes, base64url) and returns it once
             * @constant
             */
            generate: true;
            /**
             * @description Confirms replacing a secret the cluster already has: its agents are refused (401) until they present the new one
             * @default false
             */
            replace?: boolean;
        };
        AgentSecretSet: {
            /** Format: uuid */
            clusterId: string;
            /** @constant */
            agentSecretSet: true;
            /** @description The cluster had a secret before, now replaced */
            replaced: boolean;
            /** @description Only when generated: the secret, shown this once and never again. Put it in each agent's `cluster.secretFile` (mode 0600) */
            secret?: string;
        };
        AuditEntry: {
            /** Format: uuid */
            id: string;
            /** @description An audit entry's position: `<time, ISO 8601 with milliseconds>_<entry id>` */
            cursor: string;
            /** Format: date-time */
            time: string;
            /** @description Account name, `agent:<node>` for an agent, `controller` for the controller itself */
            actor: string;
            /** @description Dotted verb, e.g. `cluster.switch`, `cluster.policy-changed`, `auth.login`, `account.create`, `token.delete`, `cluster.focus`, `access.denied` */
            action: string;
            /** @description What was acted on, e.g. `cluster/<id>`, `account/<name>`; for `access.denied`, the method and path */
            target: string;
            /**
             * @description `success`; `failure` (refused or failed); `denied` (the role was too low)
             * @enum {string}
             */
            outcome: "success" | "failure" | "denied";
            /** @description The caller's address */
            address: string | null;
            /** @description What the change did, for the actions that say more than their target: `cluster.policy-changed` has `fromVersion`, `toVersion` and `changed` (the settings that changed, as paths like `failover.profile`); `cluster.switch` to a node that lacked data has `forced`, `to` (the node) and `missingSeconds`; `cluster.backfill-start`, `-pause` and `-resume` have `nodes` (asked), `done`, `refused` and `unreachable` (node names); null for the others */
            details: Record<string, unknown> | null;
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            /** Format: int64 */
            limit: number;
            /** @description `before` for the next, older page; null on the last page */
            next: string | null;
        };
        AuditReport: {
            /** @description The columns, in the order CSV gives them */
            columns: string[];
            rows: components["schemas"]["AuditReportRow"][];
            /** @description More rows matched than rowsMax */
            truncated: boolean;
            /** Format: int64 */
            rowsMax: number;
        };
        /** @description One audit entry (v_audit_log) */
        AuditReportRow: {
            id: string;
            /** Format: date-time */
            time: string;
            actor: string;
            action: string;
            target: string;
            outcome: string;
            address: string | null;
            /** @description The entry's details, as JSON text */
            details: string | null;
        };
        /** @description One camera with missing data on a node */
        BackfillCamera: {
            /** @description The device id the recorders report (the camera GUID) */
            deviceId: string;
            /** @description Seconds of this camera's recordings the peer holds and this node lacks, within this node's retention */
            missingSeconds: number;
            /** @description Of which placeholders wait to be filled */
            placeholderSeconds: number;
            /** @description Complete from the retention start until here (the start of the oldest gap); null when there is no gap */
            completeUntilAt: string | null;
            /** @description Complete from here to now (the end of the newest gap); null when there is no gap */
            completeSinceAt: string | null;
            /** @description The newest 32 gaps at most, newest first; `missingSeconds` counts them all */
            gaps: components["schemas"]["BackfillGap"][];
        };
        BackfillCommandAccepted: {
            /** Format: uuid */
            clusterId: string;
            /** @enum {string} */
            command: "backfill-start" | "backfill-pause" | "backfill-resume";
            /** @description What each node asked answered, by name; at least one took it */
            nodes: components["schemas"]["BackfillCommandOutcome"][];
        };
        BackfillCommandOutcome: {
            /** Format: uuid */
            nodeId: string;
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name: string;
            /**
             * @description `done`: the agent took it; `refused`: it answered 409 (see `reason`); `unreachable`: no usable answer
             * @enum {string}
             */
            outcome: "done" | "refused" | "unreachable";
            /** @description The agent's refusal reason (`refused`: one this controller does not know); null unless refused */
            reason: ("not-serving" | "peer-not-ready" | "switch-in-progress" | "maintenance" | "stopped" | "sync-not-pending" | "busy" | "no-backfill" | "backfill-disabled" | "refused") | null;
            /** @description What happened, in words */
            detail: string;
            /** @description The agent's answer when it took the command */
            result: components["schemas"]["CommandResult"] | null;
        };
        BackfillCommandRequest: {
            /** @description The node to ask, by name; absent: `start` asks every node that lacks data (every node that reports a backfill status when none does), `pause` and `resume` every node that reports one */
            node?: string;
            /** @description Free text for the agent's event log */
            reason?: string;
        };
        /** @description A range the peer holds and this node lacks: from `startAt` (inclusive) to `endAt` (exclusive) */
        BackfillGap: {
            /** Format: date-time */
            startAt: string;
            /** Format: date-time */
            endAt: string;
        };
        /** @description One backfill job of one node (v_backfill_jobs) */
        BackfillJobRow: {
            id: string;
            /** Format: date-time */
            started_at: string;
            ended_at: string | null;
            cluster_id: string;
            cluster: string | null;
            node_id: string;
            node: string | null;
            /** @description planning, running, paused, waiting-for-peer, failed, done; superseded when the next job replaced it unfinished */
            state: string;
            reason: string | null;
            missing_seconds_at_start: number;
            missing_seconds: number;
            /** Format: int64 */
            cameras_affected: number;
            /** Format: int64 */
            bytes_done: number;
            /** Format: int64 */
            bytes_total: number;
            /** Format: date-time */
            updated_at: string;
        };
        BackfillJobsReport: {
            /** @description The columns, in the order CSV gives them */
            columns: string[];
            rows: components["schemas"]["BackfillJobRow"][];
            /** @description More rows matched than rowsMax */
            truncated: boolean;
            /** Format: int64 */
            rowsMax: number;
        };
        /** @description What a node lacks of what its peer holds, within its own retention (its agent's gap audit), and the backfill job that copies it, as its agent last reported them */
        BackfillStatus: {
            /**
             * @description The cluster policy's backfill mode the node runs: `enabled` (placeholders, then filling, automatically), `placeholders` (filling only on `…/backfill/start`), `disabled`
             * @enum {string}
             */
            mode: "enabled" | "placeholders" | "disabled";
            /**
             * @description The job: `idle` (nothing to do, or waiting for a start in placeholders mode), `planning`, `running`, `paused` (by an operator, outside the daily window, or the storage full), `waiting-for-peer`, `failed`, `done`
             * @enum {string}
             */
            state: "idle" | "planning" | "running" | "paused" | "waiting-for-peer" | "failed" | "done";
            /** @description Why the job is paused, waiting or failed; null otherwise */
            reason: string | null;
            /** @description When the gap audit these figures come from finished; null before the first */
            auditedAt: string | null;
            /** @description The node's own retention, in minutes: nothing older is missing or filled. Null when unknown */
            retentionMinutes: number | null;
            /** @description From this time on the node holds everything its peer holds (the end of its newest gap; the retention start when complete) */
            completeSinceAt: string | null;
            /** @description Camera-seconds the peer holds and this node lacks, within this node's retention, summed over cameras */
            missingSeconds: number;
            /** @description Nothing is left to fill and no camera lacks more than one block (10 s) that only the next stop of its recorder can reserve: what an automatic failback and a Switch to this node wait for. Absent from older agents */
            dataComplete?: boolean;
            /** @description Of which placeholders wait to be filled */
            placeholderSeconds: number;
            /**
             * Format: int64
             * @description Cameras with missing data
             */
            camerasAffected: number;
            /** @description The cameras with missing data, most missing first */
            cameras: components["schemas"]["BackfillCamera"][];
            /**
             * Format: int64
             * @description Bytes the job has copied
             */
            bytesDone: number;
            /**
             * Format: int64
             * @description Bytes the job copies in all
             */
            bytesTotal: number;
            /**
             * Format: int64
             * @description Blocks copied and checked
             */
            blocksDone: number;
            /**
             * Format: int64
             * @description Blocks the job copies in all
             */
            blocksTotal: number;
            /** @description Recent copy rate */
            rateBytesPerSecond: number;
            /** @description Time left at the recent rate; null while unknown */
            etaSeconds: number | null;
            /** @description When the job started; null before */
            startedAt: string | null;
        };
        /** @description One camera of a cluster, from its nodes' last reports */
        Camera: {
            /** @description The device id the recorders report (the camera GUID) */
            cameraId: string;
            /** @description The camera's name: from the cluster's camera pairs when set there, else as the agents read it from the Management Server (the Management Client's name; the Serving node's report first), else its id. Sorting by name and `q` use it. */
            name: string;
            /** Format: uuid */
            clusterId: string;
            clusterName: string;
            /** @description `Cloned` for a camera of a cloned pair; null in a failover pool */
            pairName: string | null;
            /** @description The node whose view decides `connected` and `recording`: the Serving node (in a pool, the serving node that has the camera); null when none serves, and then every fresh node that has the camera counts */
            servingNodeId: string | null;
            /** @description Started or recording without ErrorNoConnection there */
            connected: boolean;
            /** @description ErrorNoConnection on some node with a fresh report */
            disconnected: boolean;
            /** @description The nodes with a fresh report of ErrorNoConnection */
            disconnectedOn: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            }[];
            /** @description ErrorOverflow (frames dropped before storage) on some node with a fresh report */
            overflow: boolean;
            /** @description The nodes with a fresh report of ErrorOverflow */
            overflowOn: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            }[];
            /** @description Recording there */
            recording: boolean;
            /** @description In a cloned pair, the nodes with a fresh report differ in a recording setting: presence, enabled, and (compared only where the camera is connected, since a disconnect is shown as such) recording on or off, requested frame rate, resolution and codec */
            mismatched: boolean;
            /** @description What differs; empty when nothing does */
            mismatches: components["schemas"]["CameraMismatch"][];
            /** @description Disconnected, overflow, mismatched, or not recording where it is served (unless disabled there) */
            problem: boolean;
            /** @description Each node, by name: both nodes of a cloned pair; in a pool, the nodes that have the camera */
            nodes: components["schemas"]["CameraNode"][];
        };
        CameraFailoverLevels: {
            /** Format: uuid */
            nodeId: string;
            /** @description When the controller received the agent's last report, whose cameras are listed; null: none yet */
            reportedAt: string | null;
            /** @description Reported cameras by name, then stored levels of cameras no longer reported */
            cameras: {
                deviceId: string;
                /** @description As its agent reports it; null when it does not know it, or the camera is not reported any more */
                name: string | null;
                /**
                 * @description `full`: recorded and live on the standby; `live-only`: viewable, not recorded (Synology's "Full (except recording)"); `none`: not taken over
                 * @enum {string}
                 */
                level: "full" | "live-only" | "none";
                /** @description In the agent's last report; false: a level stored for a camera no longer reported */
                reported: boolean;
            }[];
        };
        CameraFailoverLevelsUpdate: {
            /** @description The cameras whose level changes, each once; the others keep theirs. `full` is the default: it removes a stored level */
            cameras: {
                /** @description The camera's device id, a lower-case GUID */
                deviceId: string;
                /**
                 * @description `full`: recorded and live on the standby; `live-only`: viewable, not recorded (Synology's "Full (except recording)"); `none`: not taken over
                 * @enum {string}
                 */
                level: "full" | "live-only" | "none";
            }[];
            /** @description Needed (`true`) while the server is failed over (a standby takes it over, serves it or syncs back to it): the change applies at its next failover, not to the running one */
            confirm?: boolean;
        };
        /** @description A range of one camera's recordings that one node lacked and its peer held (v_camera_gaps) */
        CameraGapRow: {
            id: string;
            /** Format: date-time */
            start_at: string;
            /** Format: date-time */
            end_at: string;
            cluster_id: string;
            cluster: string | null;
            node_id: string;
            node: string | null;
            /** @description The camera's id in the Management Server configuration */
            device_id: string;
            /** @description The camera's name, when the controller knows the camera */
            camera: string | null;
            /** @description end_at − start_at */
            gap_seconds: number;
            /** @description What the latest gap audit still found missing in the range; 0 once filled */
            missing_seconds: number;
            /** @description gap_seconds − missing_seconds: what backfill (or the recorder) filled */
            filled_seconds: number;
            /**
             * @description open: (partly) missing; filled: an audit found it whole; expired: it left the node's retention first
             * @enum {string}
             */
            state: "open" | "filled" | "expired";
            /**
             * Format: date-time
             * @description The gap audit that first found it
             */
            detected_at: string;
            /** @description The audit that found it filled or expired */
            resolved_at: string | null;
        };
        CameraGapsReport: {
            /** @description The columns, in the order CSV gives them */
            columns: string[];
            rows: components["schemas"]["CameraGapRow"][];
            /** @description More rows matched than rowsMax */
            truncated: boolean;
            /** Format: int64 */
            rowsMax: number;
        };
        CameraMismatch: {
            /**
             * @description `present`: one node has the camera, the other not; `enabled`, `recording` (on/off), `fpsRequested`, `resolution`, `videoFormat` (codec): compared between the nodes that have it
             * @enum {string}
             */
            setting: "present" | "enabled" | "recording" | "fpsRequested" | "resolution" | "videoFormat";
            /** @description The value on each compared node, by node name */
            values: {
                [key: string]: string | number | boolean | null;
            };
        };
        /** @description One node's view of a camera; null values: the node's last report does not list the camera */
        CameraNode: {
            /** Format: uuid */
            nodeId: string;
            nodeName: string;
            /**
             * @description `Serving` (of the nodes that say they serve, the one with the highest epoch), `Standby` (reachable, not serving, or stepping down under a lower epoch) or `Unknown` (not reachable: no longer its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs)
             * @enum {string}
             */
            haStatus: "Serving" | "Standby" | "Unknown";
            /** @description The node is reachable (its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs); if not, the values are its last known ones */
            fresh: boolean;
            /** @description The node's last report lists the camera */
            reported: boolean;
            enabled: boolean | null;
            recording: boolean | null;
            /** @description Started or recording without ErrorNoConnection */
            connected: boolean | null;
            /** @description ErrorOverflow */
            overflow: boolean | null;
            /** @description Frames per second received */
            fps: number | null;
            /** @description Frames per second configured */
            fpsRequested: number | null;
            /** @description e.g. `1920x1080` */
            resolution: string | null;
            /** @description Codec, e.g. `H.264` */
            videoFormat: string | null;
            /** @description Seconds of this camera's recordings the node lacks of what its peer holds, within its retention, by its agent's last gap audit (`GET …/backfill` has the ranges); null when its agent reports no finished audit */
            missingSeconds: number | null;
        };
        CameraPage: {
            items: components["schemas"]["Camera"][];
            /**
             * Format: int64
             * @description Cameras matching the filters
             */
            total: number;
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
        };
        Cluster: {
            /** Format: uuid */
            id: string;
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name: string;
            /**
             * @description `cloning`: a 1:1 pair with one recorder identity; `pool`: N:M failover servers
             * @enum {string}
             */
            mode: "cloning" | "pool";
            /** @description Address clients use to reach the Serving node: `host` or `host:port` */
            sharedAddress: string;
            /** @description Node that serves when both are healthy; null means the primary (the cluster policy's preferredNodeId: a change here is a change of the policy) */
            preferredNodeId: string | null;
            /** @enum {string} */
            failbackPolicy: "automatic" | "manual";
            /** @description Seconds of healthy peer before automatic failback (the cluster policy's failback.holdDownSeconds) */
            failbackHoldDownSeconds: number;
            description: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: int64 */
            version: number;
            /** @description The cluster has an agent secret (`PUT …/agent-secret`): its agents can register and report. The secret itself is never returned, except once when the controller generates it */
            agentSecretSet: boolean;
            nodes: components["schemas"]["Node"][];
        };
        ClusterBackfill: {
            /** Format: uuid */
            clusterId: string;
            /** @description As the cluster list's `dataMissing` */
            dataMissing: boolean;
            /** @description As the cluster list's `dataMissingSeconds`: the nodes' missing seconds summed; null when no node reports a backfill status */
            missingSeconds: number | null;
            /** @description Each node, by name */
            nodes: components["schemas"]["NodeBackfill"][];
        };
        ClusterCreate: {
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name: string;
            /** @enum {string} */
            mode: "cloning" | "pool";
            /** @description Address clients use to reach the Serving node: `host` or `host:port` */
            sharedAddress: string;
            /**
             * @default automatic
             * @enum {string}
             */
            failbackPolicy?: "automatic" | "manual";
            /**
             * @description Seconds of healthy peer before automatic failback (the cluster policy's failback.holdDownSeconds)
             * @default 300
             */
            failbackHoldDownSeconds?: number;
            description?: string;
            nodes?: components["schemas"]["NodeCreate"][];
        };
        ClusterPage: {
            items: components["schemas"]["ClusterSummary"][];
            /** Format: int64 */
            total: number;
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
        };
        /** @description A cluster policy: everything both nodes of a cluster must agree on, owned by the controller and sent to the agents with every register and report answer */
        ClusterPolicy: {
            /** Format: uuid */
            clusterId: string;
            /**
             * Format: int64
             * @description 1 at first, one more with every change of a setting; agents apply a higher version only. The ETag is `"p<version>"`
             */
            version: number;
            /** @description A node of the cluster that serves when both are healthy, and the failback target; null: the primary (rank 0) wins ties and there is no failback */
            preferredNodeId: string | null;
            failback: components["schemas"]["ClusterPolicyFailback"];
            failover: components["schemas"]["ClusterPolicyFailover"];
            triggers: components["schemas"]["ClusterPolicyTriggers"];
            /**
             * @description At agent start: `keep` the recorder as it was, `start` it, or leave it `stop`ped
             * @enum {string}
             */
            boot: "keep" | "start" | "stop";
            /** @description Automatic failover suspended cluster-wide */
            maintenance: boolean;
            backfill: components["schemas"]["ClusterPolicyBackfill"];
            pool: components["schemas"]["ClusterPolicyPool"];
            /** @description What the null overrides resolve to */
            effective: {
                /**
                 * Format: int64
                 * @description The heartbeat interval the nodes use: the override, else the profile's
                 */
                heartbeatIntervalMs: number;
                /**
                 * Format: int64
                 * @description The peer timeout the nodes use: the override, else the profile's
                 */
                peerTimeoutMs: number;
                /** @description Each trigger's grace: its own, else the profile's */
                graceMs: {
                    /** Format: int64 */
                    recordingShare: number;
                    /** Format: int64 */
                    storageUnavailable: number;
                    /** Format: int64 */
                    serviceDown: number;
                };
            };
            /**
             * Format: date-time
             * @description When a setting last changed; the cluster's creation time if none has
             */
            updatedAt: string;
            /** @description Which version each node of the cluster runs, by name */
            nodes: {
                /** Format: uuid */
                nodeId: string;
                /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
                name: string;
                /** @description The cluster policy version its agent last reported running (0: its agent.yaml's bootstrap default until a policy arrives); null: no report that says */
                policyVersion: number | null;
                /** @description It reported running the controller's version; false for a node that lags behind or has not said */
                current: boolean;
            }[];
        };
        /** @description Backfill: how a returning node gets what its peer recorded meanwhile */
        ClusterPolicyBackfill: {
            /**
             * @description `enabled`: a returning node gets placeholders for what it lacks, then they are filled from its peer, automatically; `placeholders`: placeholders only, filled on `…/backfill/start`; `disabled`: neither
             * @enum {string}
             */
            mode: "enabled" | "placeholders" | "disabled";
            /** @description Bandwidth budget of the block transfers into a node, in megabits per second */
            bandwidthMbps: number;
            /** @description Blocks in flight at once per node */
            transfersMax: number;
            /** @description When filling may run, daily, in minutes after midnight of each agent host's local time (`startMinute` inclusive, `endMinute` exclusive; an end before the start spans midnight; the two must differ); null: always. Placeholders are made whenever a node returns */
            window: {
                startMinute: number;
                endMinute: number;
            } | null;
        };
        /** @description Failback to the preferred node */
        ClusterPolicyFailback: {
            /**
             * @description `automatic`: back to the preferred node after the hold-down; `manual`: only by a switch
             * @enum {string}
             */
            policy: "automatic" | "manual";
            /** @description Seconds of a healthy peer before an automatic failback */
            holdDownSeconds: number;
        };
        /** @description How a failed peer is detected, and how often the Serving role may move by itself */
        ClusterPolicyFailover: {
            /**
             * @description Timing of the failure detection: `conservative` (heartbeat every 250 ms, peer dead after 2750 ms) or `fast` (100 ms, 800 ms; for a quiet LAN)
             * @enum {string}
             */
            profile: "conservative" | "fast";
            /** @description Overrides the profile's heartbeat interval; null keeps the profile's */
            heartbeatIntervalMs: number | null;
            /** @description Overrides the profile's peer timeout; null keeps the profile's. Must cover at least 3 heartbeats */
            peerTimeoutMs: number | null;
            /** @description At most this many automatic failovers per capWindowMinutes; then automatic failover is suspended */
            capCount: number;
            /** @description The window of the failover cap, in minutes */
            capWindowMinutes: number;
        };
        /** @description Some settings of a cluster policy: merged into the current ones, field by field, and the result checked as a whole */
        ClusterPolicyPatch: {
            /** @description A node of the cluster that serves when both are healthy, and the failback target; null: the primary (rank 0) wins ties and there is no failback */
            preferredNodeId?: string | null;
            failback?: {
                /**
                 * @description `automatic`: back to the preferred node after the hold-down; `manual`: only by a switch
                 * @enum {string}
                 */
                policy?: "automatic" | "manual";
                /** @description Seconds of a healthy peer before an automatic failback */
                holdDownSeconds?: number;
            };
            failover?: {
                /**
                 * @description Timing of the failure detection: `conservative` (heartbeat every 250 ms, peer dead after 2750 ms) or `fast` (100 ms, 800 ms; for a quiet LAN)
                 * @enum {string}
                 */
                profile?: "conservative" | "fast";
                /** @description Overrides the profile's heartbeat interval; null keeps the profile's */
                heartbeatIntervalMs?: number | null;
                /** @description Overrides the profile's peer timeout; null keeps the profile's. Must cover at least 3 heartbeats */
                peerTimeoutMs?: number | null;
                /** @description At most this many automatic failovers per capWindowMinutes; then automatic failover is suspended */
                capCount?: number;
                /** @description The window of the failover cap, in minutes */
                capWindowMinutes?: number;
            };
            triggers?: {
                recordingShare?: {
                    enabled?: boolean;
                    /** @description Hand over when fewer than this share of the enabled cameras record */
                    minPercent?: number;
                    /** @description How long a low recording share must last before the Serving node hands over, in ms; null: the profile's (2000 ms conservative, 500 ms fast) */
                    graceMs?: number | null;
                };
                storageUnavailable?: {
                    enabled?: boolean;
                    /** @description How long an unavailable storage must last before the Serving node hands over, in ms; null: the profile's (2000 ms conservative, 500 ms fast) */
                    graceMs?: number | null;
                };
                serviceDown?: {
                    enabled?: boolean;
                    /** @description How long a stopped service must last before the Serving node hands over, in ms; null: the profile's (2000 ms conservative, 500 ms fast) */
                    graceMs?: number | null;
                };
            };
            /**
             * @description At agent start: `keep` the recorder as it was, `start` it, or leave it `stop`ped
             * @enum {string}
             */
            boot?: "keep" | "start" | "stop";
            /** @description Automatic failover suspended cluster-wide */
            maintenance?: boolean;
            backfill?: {
                /**
                 * @description `enabled`: a returning node gets placeholders for what it lacks, then they are filled from its peer, automatically; `placeholders`: placeholders only, filled on `…/backfill/start`; `disabled`: neither
                 * @enum {string}
                 */
                mode?: "enabled" | "placeholders" | "disabled";
                /** @description Bandwidth budget of the block transfers into a node, in megabits per second */
                bandwidthMbps?: number;
                /** @description Blocks in flight at once per node */
                transfersMax?: number;
                /** @description When filling may run, daily, in minutes after midnight of each agent host's local time (`startMinute` inclusive, `endMinute` exclusive; an end before the start spans midnight; the two must differ); null: always. Placeholders are made whenever a node returns */
                window?: {
                    startMinute: number;
                    endMinute: number;
                } | null;
            };
            pool?: {
                /** @description When a protected recording server counts as failed: each trigger on or off, with how long it must last */
                triggers?: {
                    disconnectedSeconds: number;
                    serviceDown: {
                        enabled: boolean;
                        seconds: number;
                    };
                    storage: {
                        enabled: boolean;
                        seconds: number;
                    };
                };
                /**
                 * @description `automatic`: a failed protected server takes a standby at once; `manual`: an operator starts the failover
                 * @enum {string}
                 */
                failover?: "automatic" | "manual";
                /**
                 * @description `automatic`: failover stops once the protected server was healthy for holdDownSeconds; `manual`: by command only
                 * @enum {string}
                 */
                stopFailover?: "automatic" | "manual";
                /** @description Seconds a recovered protected server must stay healthy before failover stops by itself */
                holdDownSeconds?: number;
                /**
                 * @description At failback, what the standby recorded meanwhile: `sync`ed back to the protected server, or `discard`ed
                 * @enum {string}
                 */
                failbackRecordings?: "sync" | "discard";
                /** @description Minutes a failback sync may make no progress before the controller says so (`pool.failback-sync-stalled`, once per stall, naming the period still only on the standby; finish failback frees the standby and discards it). Absent from a PUT: 30 */
                failbackStallMinutes?: number;
            };
        };
        /** @description Failover pool (mode `pool`) only: when a protected server fails over to a standby, and when it fails back */
        ClusterPolicyPool: {
            /** @description When a protected recording server counts as failed: each trigger on or off, with how long it must last */
            triggers: {
                disconnectedSeconds: number;
                serviceDown: {
                    enabled: boolean;
                    seconds: number;
                };
                storage: {
                    enabled: boolean;
                    seconds: number;
                };
            };
            /**
             * @description `automatic`: a failed protected server takes a standby at once; `manual`: an operator starts the failover
             * @enum {string}
             */
            failover: "automatic" | "manual";
            /**
             * @description `automatic`: failover stops once the protected server was healthy for holdDownSeconds; `manual`: by command only
             * @enum {string}
             */
            stopFailover: "automatic" | "manual";
            /** @description Seconds a recovered protected server must stay healthy before failover stops by itself */
            holdDownSeconds: number;
            /**
             * @description At failback, what the standby recorded meanwhile: `sync`ed back to the protected server, or `discard`ed
             * @enum {string}
             */
            failbackRecordings: "sync" | "discard";
            /**
             * @description Minutes a failback sync may make no progress before the controller says so (`pool.failback-sync-stalled`, once per stall, naming the period still only on the standby; finish failback frees the standby and discards it). Absent from a PUT: 30
             * @default 30
             */
            failbackStallMinutes: number;
        };
        /** @description What makes the Serving node hand over: each trigger on or off, with how long it must last */
        ClusterPolicyTriggers: {
            /** @description Too few of the enabled cameras recording */
            recordingShare: {
                enabled: boolean;
                /** @description Hand over when fewer than this share of the enabled cameras record */
                minPercent: number;
                /** @description How long a low recording share must last before the Serving node hands over, in ms; null: the profile's (2000 ms conservative, 500 ms fast) */
                graceMs: number | null;
            };
            /** @description A recording storage offline or failed (or none reported) */
            storageUnavailable: {
                enabled: boolean;
                /** @description How long an unavailable storage must last before the Serving node hands over, in ms; null: the profile's (2000 ms conservative, 500 ms fast) */
                graceMs: number | null;
            };
            /** @description The Recording Server service not running or not answering */
            serviceDown: {
                enabled: boolean;
                /** @description How long a stopped service must last before the Serving node hands over, in ms; null: the profile's (2000 ms conservative, 500 ms fast) */
                graceMs: number | null;
            };
        };
        /** @description Every setting of a cluster policy. The whole is checked: the peer timeout must cover at least 3 heartbeats, with the profile's values where an override is null */
        ClusterPolicyUpdate: {
            /** @description A node of the cluster that serves when both are healthy, and the failback target; null: the primary (rank 0) wins ties and there is no failback */
            preferredNodeId: string | null;
            failback: components["schemas"]["ClusterPolicyFailback"];
            failover: components["schemas"]["ClusterPolicyFailover"];
            triggers: components["schemas"]["ClusterPolicyTriggers"];
            /**
             * @description At agent start: `keep` the recorder as it was, `start` it, or leave it `stop`ped
             * @enum {string}
             */
            boot: "keep" | "start" | "stop";
            /** @description Automatic failover suspended cluster-wide */
            maintenance: boolean;
            backfill: components["schemas"]["ClusterPolicyBackfill"];
            pool: components["schemas"]["ClusterPolicyPool"];
        };
        ClusterState: {
            /** Format: uuid */
            clusterId: string;
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name: string;
            /** @description Address clients use to reach the Serving node */
            sharedAddress: string;
            /** @description The reachable node that reports it serves under the highest epoch (epoch fencing makes a lower one step down); null if none */
            servingNodeId: string | null;
            /** @description Two reachable nodes report that they serve under the same epoch: a real split, which fencing cannot settle */
            conflict: boolean;
            /** @description Maintenance is on (automatic failover suspended), as the Serving node (else any reachable one) reports */
            maintenance: boolean;
            /** @description A switch was accepted less than 15 s ago and no other node serves yet */
            switchInProgress: boolean;
            /**
             * Format: int64
             * @description The cluster policy's current version (GET …/policy); each node says which one it runs
             */
            policyVersion: number;
            nodes: components["schemas"]["NodeState"][];
        };
        /** @description A cluster as the cluster list shows it: its configuration, who serves, whether data may be missing, and its nodes as last reported */
        ClusterSummary: {
            /** Format: uuid */
            id: string;
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name: string;
            /**
             * @description `cloning`: a 1:1 pair with one recorder identity; `pool`: N:M failover servers
             * @enum {string}
             */
            mode: "cloning" | "pool";
            /** @description Address clients use to reach the Serving node: `host` or `host:port` */
            sharedAddress: string;
            /** @description Node that serves when both are healthy; null means the primary (the cluster policy's preferredNodeId: a change here is a change of the policy) */
            preferredNodeId: string | null;
            /** @enum {string} */
            failbackPolicy: "automatic" | "manual";
            /** @description Seconds of healthy peer before automatic failback (the cluster policy's failback.holdDownSeconds) */
            failbackHoldDownSeconds: number;
            description: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: int64 */
            version: number;
            /** @description The reachable node that reports it serves under the highest epoch; null if none */
            servingNodeId: string | null;
            /** @description A node lacks recordings its peer holds. Measured where every node's agent audits its storage against its peer (its last report, fresh or not, carries a finished gap audit: `GET …/backfill`): true exactly when one of them lacks data within its own retention. Otherwise (an agent without a storage adapter or older than backfill, an audit not finished yet, a node that never reported) also true when recordings may exist on one node only, or on none: when a reachable node has an enabled camera that is not recording, or when, since the cluster was last seen whole, a node was seen down: not reachable (no longer its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs), SafeKit state STOP or WAIT, or the Recording Server service stopped, starting or stopping. Whole: every node reports, none is down, each says it is healthy, and every enabled camera records; seeing the cluster whole clears it. A cluster none of whose agents has reported since the controller started is never flagged. */
            dataMissing: boolean;
            /** @description The cluster has an agent secret (`PUT …/agent-secret`): its agents can register and report. The secret itself is never returned, except once when the controller generates it */
            agentSecretSet: boolean;
            /** @description Camera-seconds the nodes lack of what their peers hold, within their own retention, summed over the nodes whose last report carries a gap audit; null when none does */
            dataMissingSeconds: number | null;
            nodes: components["schemas"]["NodeSummary"][];
        };
        ClusterUpdate: {
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name?: string;
            /** @description Address clients use to reach the Serving node: `host` or `host:port` */
            sharedAddress?: string;
            preferredNodeId?: string | null;
            /** @enum {string} */
            failbackPolicy?: "automatic" | "manual";
            /** @description Seconds of healthy peer before automatic failback (the cluster policy's failback.holdDownSeconds) */
            failbackHoldDownSeconds?: number;
            description?: string;
        };
        /** @description RFC 9457 problem details */
        CommandRefused: {
            /** @enum {string} */
            type: "urn:twinrec:problem:validation-failed" | "urn:twinrec:problem:malformed-json" | "urn:twinrec:problem:unauthorized" | "urn:twinrec:problem:unauthenticated" | "urn:twinrec:problem:invalid-credentials" | "urn:twinrec:problem:forbidden" | "urn:twinrec:problem:csrf-rejected" | "urn:twinrec:problem:not-found" | "urn:twinrec:problem:method-not-allowed" | "urn:twinrec:problem:not-acceptable" | "urn:twinrec:problem:cluster-name-taken" | "urn:twinrec:problem:node-name-taken" | "urn:twinrec:problem:role-conflict" | "urn:twinrec:problem:recorder-identity-mismatch" | "urn:twinrec:problem:preferred-node-invalid" | "urn:twinrec:problem:switch-not-possible" | "urn:twinrec:problem:target-missing-data" | "urn:twinrec:problem:command-refused" | "urn:twinrec:problem:cluster-unreachable" | "urn:twinrec:problem:username-taken" | "urn:twinrec:problem:last-admin" | "urn:twinrec:problem:precondition-failed" | "urn:twinrec:problem:body-too-large" | "urn:twinrec:problem:unsupported-media-type" | "urn:twinrec:problem:login-rate-limited" | "urn:twinrec:problem:account-stream-limit-reached" | "urn:twinrec:problem:database-unavailable" | "urn:twinrec:problem:request-timeout" | "urn:twinrec:problem:login-busy" | "urn:twinrec:problem:stream-limit-reached" | "urn:twinrec:problem:console-not-built" | "urn:twinrec:problem:internal-error" | "urn:twinrec:problem:agent-unreachable" | "urn:twinrec:problem:agent-secret-exists" | "urn:twinrec:problem:generic-event-settings-invalid" | "urn:twinrec:problem:generic-event-not-delivered" | "urn:twinrec:problem:webhook-invalid" | "urn:twinrec:problem:webhook-name-taken" | "urn:twinrec:problem:webhook-version-conflict" | "urn:twinrec:problem:cluster-not-pool" | "urn:twinrec:problem:cluster-is-pool" | "urn:twinrec:problem:pool-role-mismatch" | "urn:twinrec:problem:failover-group-name-taken" | "urn:twinrec:problem:failover-group-version-conflict" | "urn:twinrec:problem:failover-group-in-use" | "urn:twinrec:problem:failover-group-invalid" | "urn:twinrec:problem:standby-in-other-group" | "urn:twinrec:problem:standby-is-hot-standby" | "urn:twinrec:problem:hot-standby-in-group" | "urn:twinrec:problem:hot-standby-taken" | "urn:twinrec:problem:pool-node-in-failover" | "urn:twinrec:problem:pool-failed-over-confirm" | "urn:twinrec:problem:pool-mode-mismatch" | "urn:twinrec:problem:pool-not-protected-server" | "urn:twinrec:problem:recorder-config-invalid" | "urn:twinrec:problem:pool-shared-address-taken" | "urn:twinrec:problem:pool-recorder-id-taken" | "urn:twinrec:problem:pool-failover-not-possible";
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path?: string;
                message?: string;
            }[];
            /** @enum {string} */
            reason?: "not-serving" | "peer-not-ready" | "switch-in-progress" | "maintenance" | "stopped" | "sync-not-pending" | "busy" | "no-backfill" | "backfill-disabled" | "refused";
            /** Format: uuid */
            nodeId?: string;
        };
        /** @description The agent's answer (agent-api-v1) */
        CommandResult: {
            /** @enum {string} */
            command: "switch" | "swap" | "maintenance-on" | "maintenance-off" | "stop" | "start" | "config-sync-force" | "backfill-start" | "backfill-pause" | "backfill-resume";
            result: string;
            /** @enum {string} */
            state: "STOP" | "WAIT" | "ALONE" | "PRIM" | "SECOND";
            /** Format: int64 */
            epoch: number;
            handover: {
                /** @description The agent's name for the node that is to serve */
                to: string;
                /** Format: int64 */
                expectedEpoch: number;
            } | null;
        };
        ConfigSyncHistoryReport: {
            /** @description The columns, in the order CSV gives them */
            columns: string[];
            rows: components["schemas"]["ConfigSyncHistoryRow"][];
            /** @description More rows matched than rowsMax */
            truncated: boolean;
            /** Format: int64 */
            rowsMax: number;
        };
        /** @description One config sync event (v_config_sync_history) */
        ConfigSyncHistoryRow: {
            id: string;
            /** Format: date-time */
            time: string;
            cluster_id: string | null;
            cluster: string | null;
            node_id: string | null;
            node: string | null;
            /** @description config-sync.pushed, .applied, .in-sync, .pending, .push-failed, .forced, .unclassified, … */
            kind: string;
            severity: string;
            message: string;
            /** @description The event's data, as JSON text */
            data: string;
        };
        ControllerSystem: {
            controllerId: string;
            /** @enum {string} */
            dialect: "sqlite" | "postgres" | "mssql";
            leases: {
                /** @enum {string} */
                name: "agent-sweep" | "webhooks" | "generic-events" | "pool-allocation";
                holder: string | null;
                /** Format: int64 */
                epoch: number;
                expiresAt: string | null;
                heldHere: boolean;
            }[];
        };
        ControllerTls: {
            https: boolean;
            certificate: {
                fingerprint256: string;
                subject: string;
                /** Format: date-time */
                validFrom: string;
                /** Format: date-time */
                validTo: string;
                /** @enum {string} */
                source: "configured" | "generated";
            } | null;
        };
        /** @description Something that happened in a cluster: from an agent (failover, camera lost, `backfill.started`, …) or from the controller (`node.state-changed`, `node.agent-lost`, `node.agent-returned`) */
        Event: {
            /**
             * Format: uuid
             * @description Unique; an event repeated in a resumed stream has the same id
             */
            id: string;
            /** @description An event's position: `<time, ISO 8601 with milliseconds>_<event id>` */
            cursor: string;
            /**
             * Format: date-time
             * @description When it happened (an agent event: by the node's clock)
             */
            time: string;
            clusterId: string | null;
            nodeId: string | null;
            /** @description Dotted kind, e.g. `failover.completed` */
            kind: string;
            /** @enum {string} */
            severity: "info" | "warning" | "error" | "critical";
            message: string;
            /** @description Details by kind */
            data: Record<string, unknown>;
        };
        EventPage: {
            items: components["schemas"]["Event"][];
            /** Format: int64 */
            limit: number;
            /** @description `before` for the next, older page; null on the last page */
            next: string | null;
        };
        EventServerTarget: {
            /** @description The Event Server's host name or IP address; null: not set (sending needs it) */
            host: string | null;
            /** @description The TCP port of its generic-event data source: 1235 for International, 1234 for Compatible by default */
            port: number;
            /**
             * @description The data source's settings: `international` (separator CR LF, UTF-8, echo "Statistics") or `compatible` (no separator, the Windows ANSI code page, echo "All bytes"; the Event Server takes the event when the connection closes)
             * @enum {string}
             */
            format: "international" | "compatible";
            /** @description How long to wait for the echo after sending, in ms */
            readTimeoutMs: number;
        };
        FailoverGroup: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            clusterId: string;
            /** @description Unique in the pool */
            name: string;
            /** @description The sequence: the first free standby takes over */
            standbys: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            }[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: int64 */
            version: number;
        };
        FailoverGroupCreate: {
            /** @description Unique in the pool */
            name: string;
        };
        FailoverGroupStandbys: {
            /** @description The whole sequence, first first: standbys (`failover` nodes) of this pool, each once, in no other group and hot standby of no server. Those left out leave the group */
            standbyNodeIds: string[];
        };
        FailoverGroupUpdate: {
            /** @description Unique in the pool */
            name: string;
            /**
             * Format: int64
             * @description Refuses the change (409 `failover-group-version-conflict`) unless the group is still at this version
             */
            version?: number;
        };
        FailoverHistoryReport: {
            /** @description The columns, in the order CSV gives them */
            columns: string[];
            rows: components["schemas"]["FailoverHistoryRow"][];
            /** @description More rows matched than rowsMax */
            truncated: boolean;
            /** Format: int64 */
            rowsMax: number;
        };
        /** @description One change of the Serving role (v_failover_history) */
        FailoverHistoryRow: {
            id: string;
            /** Format: date-time */
            time: string;
            cluster_id: string;
            cluster: string | null;
            from_node_id: string | null;
            from_node: string | null;
            to_node_id: string | null;
            to_node: string | null;
            reason: string;
            /** @enum {string} */
            trigger: "automatic" | "manual";
            detection_ms: number | null;
            switch_ms: number | null;
            epoch: number | null;
        };
        FailoverReplaceRequest: {
            /**
             * Format: uuid
             * @description The standby that replaces it: by default (or named) the one serving it, which keeps the identity it runs and serves on; or another standby of the pool that is free (its lease and its agent's report), reachable and nobody's hot standby (else `standby-not-free`), which takes the identity and gets the failover's recordings back from the serving standby through the pool's failback
             */
            standbyNodeId?: string;
            /**
             * @description Replacement is permanent: the protected node leaves the pool
             * @constant
             */
            confirm: true;
        };
        FailoverStartRequest: {
            /**
             * Format: uuid
             * @description The standby to take over (a free one of this pool); by default the one the pool's rules choose (hot standby, then the groups' sequences)
             */
            standbyNodeId?: string;
        };
        FailoverStopRequest: {
            /**
             * @description What the standby recorded meanwhile: `sync` keeps the standby held (`syncing-back`) until finish failback, `discard` frees it at once; by default the cluster policy's `pool.failbackRecordings`
             * @enum {string}
             */
            recordings?: "sync" | "discard";
        };
        Focus: {
            /** Format: uuid */
            clusterId: string;
            /** Format: uuid */
            nodeId: string;
            nodeName: string;
            /** @description It is the Serving node now (it is reachable, its agent says it serves, and no reachable node serves under a higher epoch) */
            serving: boolean;
            /**
             * @description `Serving` (of the nodes that say they serve, the one with the highest epoch), `Standby` (reachable, not serving, or stepping down under a lower epoch) or `Unknown` (not reachable: no longer its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs)
             * @enum {string}
             */
            haStatus: "Serving" | "Standby" | "Unknown";
            /** @description Where this node's own live view is: its recorder's web server (ImageServer), not the shared address */
            liveView: {
                /** @description As its agent registered it; null before it did */
                webServerUri: string | null;
            };
            /** @description Where this node is configured: its host and the agent beside it */
            configuration: {
                hostName: string;
                addresses: string[];
                agentUrl: string | null;
            };
            /** Format: date-time */
            focusedAt: string;
        };
        FocusRequest: {
            /** Format: uuid */
            nodeId: string;
        };
        GenericEventKindSettings: {
            /** @description Send this kind */
            enabled: boolean;
            /** @description The generic event's text, with placeholders in braces (`{cluster}`); `{{` and `}}` are literal braces. No control or invisible format characters; at most 512 characters */
            message: string;
        };
        GenericEventSettings: {
            /** @description Send generic events at all (each kind also has its own switch) */
            enabled: boolean;
            eventServer: components["schemas"]["EventServerTarget"];
            /** @description Per kind: on/off and the message. Placeholders: `failover` {cluster} {time} {kind} {from} {to} {reason} {epoch}; `failback` {cluster} {time} {kind} {from} {to} {epoch}; `node-down` {cluster} {time} {kind} {node} {reason}; `data-missing` {cluster} {time} {kind} {missingSeconds}; `backfill-completed` {cluster} {time} {kind} {node} {blocks} {bytes} {seconds} */
            kinds: {
                failover: components["schemas"]["GenericEventKindSettings"];
                failback: components["schemas"]["GenericEventKindSettings"];
                "node-down": components["schemas"]["GenericEventKindSettings"];
                "data-missing": components["schemas"]["GenericEventKindSettings"];
                "backfill-completed": components["schemas"]["GenericEventKindSettings"];
            };
        };
        /** @description Generic events for XProtect's Event Server: failovers, failbacks, nodes down, missing data and completed backfills, for rules and alarms */
        GenericEventSettingsView: {
            /** @description Send generic events at all (each kind also has its own switch) */
            enabled: boolean;
            eventServer: components["schemas"]["EventServerTarget"];
            /** @description Per kind: on/off and the message. Placeholders: `failover` {cluster} {time} {kind} {from} {to} {reason} {epoch}; `failback` {cluster} {time} {kind} {from} {to} {epoch}; `node-down` {cluster} {time} {kind} {node} {reason}; `data-missing` {cluster} {time} {kind} {missingSeconds}; `backfill-completed` {cluster} {time} {kind} {node} {blocks} {bytes} {seconds} */
            kinds: {
                failover: components["schemas"]["GenericEventKindSettings"];
                failback: components["schemas"]["GenericEventKindSettings"];
                "node-down": components["schemas"]["GenericEventKindSettings"];
                "data-missing": components["schemas"]["GenericEventKindSettings"];
                "backfill-completed": components["schemas"]["GenericEventKindSettings"];
            };
            /**
             * Format: int64
             * @description 1 higher with every accepted change; 0: the defaults, never changed
             */
            version: number;
            updatedAt: string | null;
            /** @description What the controller has done with them since it started */
            delivery: {
                /**
                 * Format: int64
                 * @description Generic events waiting to be sent
                 */
                queued: number;
                /**
                 * Format: int64
                 * @description Delivered since the controller started
                 */
                sent: number;
                /**
                 * Format: int64
                 * @description Given up since the controller started: the queue was full, or every retry failed
                 */
                dropped: number;
                /** @description Why the last attempt failed; null once one succeeds */
                lastError: string | null;
                lastSentAt: string | null;
            };
        };
        /** @description Neither: the text `twinrec test event`. Sent even while generic events are off, with the stored Event Server settings */
        GenericEventTestRequest: {
            /**
             * @description Send this kind's message, filled with example values, to check that an XProtect generic event matches it
             * @enum {string}
             */
            kind?: "failover" | "failback" | "node-down" | "data-missing" | "backfill-completed";
            /** @description Send this text as it is (no placeholders) */
            message?: string;
        };
        GenericEventTestResult: {
            /** @description The text sent */
            message: string;
            host: string;
            /** Format: int64 */
            port: number;
            /** @enum {string} */
            format: "international" | "compatible";
            /** Format: int64 */
            elapsedMs: number;
            /** @description International: the Event Server's echo `[reqNo],[chars],[matches],[event name]`; `matches` 0 means no generic event matched the text. Null for Compatible */
            statistics: {
                /** Format: int64 */
                requestNumber: number;
                /** Format: int64 */
                characters: number;
                /** Format: int64 */
                matches: number;
                eventName: string;
            } | null;
        };
        Health: {
            /** @constant */
            status: "ok";
            uptimeSeconds?: number;
        };
        LoginAnswer: {
            user: components["schemas"]["UserRef"];
            /**
             * Format: date-time
             * @description When the session ends (auth.sessionTtlMs after login)
             */
            expiresAt: string;
        };
        /** @description RFC 9457 problem details */
        LoginRateLimited: {
            /** @enum {string} */
            type: "urn:twinrec:problem:validation-failed" | "urn:twinrec:problem:malformed-json" | "urn:twinrec:problem:unauthorized" | "urn:twinrec:problem:unauthenticated" | "urn:twinrec:problem:invalid-credentials" | "urn:twinrec:problem:forbidden" | "urn:twinrec:problem:csrf-rejected" | "urn:twinrec:problem:not-found" | "urn:twinrec:problem:method-not-allowed" | "urn:twinrec:problem:not-acceptable" | "urn:twinrec:problem:cluster-name-taken" | "urn:twinrec:problem:node-name-taken" | "urn:twinrec:problem:role-conflict" | "urn:twinrec:problem:recorder-identity-mismatch" | "urn:twinrec:problem:preferred-node-invalid" | "urn:twinrec:problem:switch-not-possible" | "urn:twinrec:problem:target-missing-data" | "urn:twinrec:problem:command-refused" | "urn:twinrec:problem:cluster-unreachable" | "urn:twinrec:problem:username-taken" | "urn:twinrec:problem:last-admin" | "urn:twinrec:problem:precondition-failed" | "urn:twinrec:problem:body-too-large" | "urn:twinrec:problem:unsupported-media-type" | "urn:twinrec:problem:login-rate-limited" | "urn:twinrec:problem:account-stream-limit-reached" | "urn:twinrec:problem:database-unavailable" | "urn:twinrec:problem:request-timeout" | "urn:twinrec:problem:login-busy" | "urn:twinrec:problem:stream-limit-reached" | "urn:twinrec:problem:console-not-built" | "urn:twinrec:problem:internal-error" | "urn:twinrec:problem:agent-unreachable" | "urn:twinrec:problem:agent-secret-exists" | "urn:twinrec:problem:generic-event-settings-invalid" | "urn:twinrec:problem:generic-event-not-delivered" | "urn:twinrec:problem:webhook-invalid" | "urn:twinrec:problem:webhook-name-taken" | "urn:twinrec:problem:webhook-version-conflict" | "urn:twinrec:problem:cluster-not-pool" | "urn:twinrec:problem:cluster-is-pool" | "urn:twinrec:problem:pool-role-mismatch" | "urn:twinrec:problem:failover-group-name-taken" | "urn:twinrec:problem:failover-group-version-conflict" | "urn:twinrec:problem:failover-group-in-use" | "urn:twinrec:problem:failover-group-invalid" | "urn:twinrec:problem:standby-in-other-group" | "urn:twinrec:problem:standby-is-hot-standby" | "urn:twinrec:problem:hot-standby-in-group" | "urn:twinrec:problem:hot-standby-taken" | "urn:twinrec:problem:pool-node-in-failover" | "urn:twinrec:problem:pool-failed-over-confirm" | "urn:twinrec:problem:pool-mode-mismatch" | "urn:twinrec:problem:pool-not-protected-server" | "urn:twinrec:problem:recorder-config-invalid" | "urn:twinrec:problem:pool-shared-address-taken" | "urn:twinrec:problem:pool-recorder-id-taken" | "urn:twinrec:problem:pool-failover-not-possible";
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path?: string;
                message?: string;
            }[];
            /**
             * Format: int64
             * @description As the Retry-After header
             */
            retryAfterSeconds: number;
        };
        LoginRequest: {
            /** @description Compared in lower case */
            username: string;
            password: string;
        };
        MaintenanceRequest: {
            on: boolean;
            /** @description Free text for the agent's event log */
            reason?: string;
        };
        MaintenanceSet: {
            /** Format: uuid */
            clusterId: string;
            maintenance: boolean;
            /**
             * Format: uuid
             * @description The node whose agent took the command
             */
            via: string;
        };
        Node: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            clusterId: string;
            /** @description Node name, unique in the cluster (often the Windows host name) */
            name: string;
            /**
             * @description primary/secondary in a cloned pair; primary/failover in a pool
             * @enum {string}
             */
            role: "primary" | "secondary" | "failover";
            /** @description DNS host name of the recording server */
            hostName: string;
            /** @description Addresses of the host, most preferred first */
            addresses: string[];
            /** @description Base URL of the node's twinrec agent, where the controller relays commands with the cluster secret. Set by the agent when it registers (with the secret); refused in a create or change through the API */
            readonly agentUrl: string | null;
            /** @description RecorderConfig.xml recorder/id; a cloned pair shares one */
            recorderId: string | null;
            /** @description SHA-256 fingerprint of the agent API's certificate (AB:CD:…), which the controller pins when it relays commands to an https agentUrl. Set by the agent when it registers; null for an agent on plain HTTP (loopback) or one that has not registered since */
            readonly agentCertificateFingerprint: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: int64 */
            version: number;
        };
        NodeBackfill: {
            /** Format: uuid */
            nodeId: string;
            /** @description Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters */
            name: string;
            /** @description It is the Serving node */
            serving: boolean;
            /** @description Its reports are fresh; if not, `backfill` is what it said last */
            reachable: boolean;
            /** @description When the controller received the agent's last report */
            reportedAt: string | null;
            /** @description As its agent last reported it; null when it reports none (no storage adapter in its agent.yaml, or an agent that predates backfill) or has not reported */
            backfill: components["schemas"]["BackfillStatus"] | null;
        };
        /** @description The figures of the backfill status the cluster list shows; `GET /api/v1/clusters/{id}/backfill` has the rest */
        NodeBackfillSummary: {
            /**
             * @description The cluster policy's backfill mode the node runs: `enabled` (placeholders, then filling, automatically), `placeholders` (filling only on `…/backfill/start`), `disabled`
             * @enum {string}
             */
            mode: "enabled" | "placeholders" | "disabled";
            /**
             * @description The job: `idle` (nothing to do, or waiting for a start in placeholders mode), `planning`, `running`, `paused` (by an operator, outside the daily window, or the storage full), `waiting-for-peer`, `failed`, `done`
             * @enum {string}
             */
            state: "idle" | "planning" | "running" | "paused" | "waiting-for-peer" | "failed" | "done";
            /** @description Why the job is paused, waiting or failed; null otherwise */
            reason: string | null;
            /** @description Camera-seconds the peer holds and this node lacks, within this node's retention, summed over cameras */
            missingSeconds: number;
            /** @description Of which placeholders wait to be filled */
            placeholderSeconds: number;
            /**
             * Format: int64
             * @description Cameras with missing data
             */
            camerasAffected: number;
            /**
             * Format: int64
             * @description Bytes the job has copied
             */
            bytesDone: number;
            /**
             * Format: int64
             * @description Bytes the job copies in all
             */
            bytesTotal: number;
            /** @description Time left at the recent rate; null while unknown */
            etaSeconds: number | null;
        };
        NodeCreate: {
            /** @description Node name, unique in the cluster (often the Windows host name) */
            name: string;
            /**
             * @description primary/secondary in a cloned pair; primary/failover in a pool
             * @enum {string}
             */
            role: "primary" | "secondary" | "failover";
            /** @description DNS host name of the recording server */
            hostName: string;
            /** @description Addresses of the host, most preferred first */
            addresses?: string[];
            /** @description Base URL of the node's twinrec agent, where the controller relays commands with the cluster secret. Set by the agent when it registers (with the secret); refused in a create or change through the API */
            readonly agentUrl?: string | null;
            /** @description RecorderConfig.xml recorder/id; a cloned pair shares one */
            recorderId?: string | null;
        };
        NodeDetail: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            clusterId: string;
            /** @description Node name, unique in the cluster (often the Windows host name) */
            name: string;
            /**
             * @description primary/secondary in a cloned pair; primary/failover in a pool
             * @enum {string}
             */
            role: "primary" | "secondary" | "failover";
            /** @description DNS host name of the recording server */
            hostName: string;
            /** @description Addresses of the host, most preferred first */
            addresses: string[];
            /** @description Base URL of the node's twinrec agent, where the controller relays commands with the cluster secret. Set by the agent when it registers (with the secret); refused in a create or change through the API */
            readonly agentUrl: string | null;
            /** @description RecorderConfig.xml recorder/id; a cloned pair shares one */
            recorderId: string | null;
            /** @description SHA-256 fingerprint of the agent API's certificate (AB:CD:…), which the controller pins when it relays commands to an https agentUrl. Set by the agent when it registers; null for an agent on plain HTTP (loopback) or one that has not registered since */
            readonly agentCertificateFingerprint: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: int64 */
            version: number;
            /** @description The recorder's storages from its agent's last report (fresh or not); empty before the first */
            storages: components["schemas"]["Storage"][];
            /** @description When the controller received that report */
            storagesReportedAt: string | null;
        };
        NodeState: {
            /** Format: uuid */
            nodeId: string;
            /** @description Node name, unique in the cluster (often the Windows host name) */
            name: string;
            /**
             * @description primary/secondary in a cloned pair; primary/failover in a pool
             * @enum {string}
             */
            role: "primary" | "secondary" | "failover";
            hostName: string;
            agentUrl: string | null;
            /** @description The recorder's web server (ImageServer and SOAP), as its agent registered it */
            webServerUri: string | null;
            /** @description True while its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs */
            reachable: boolean;
            /** @description When the controller received the agent's last report */
            lastReportAt: string | null;
            /** @description SafeKit node state, last reported: PRIM and ALONE serve, SECOND is standby */
            state: ("STOP" | "WAIT" | "ALONE" | "PRIM" | "SECOND") | null;
            /** @description It is reachable, says it serves, and no reachable node claims a higher epoch: the Serving node (two at one epoch are a conflict) */
            serving: boolean;
            /** @description It is reachable and says it serves, but another node serves under a higher epoch: epoch fencing makes it release the shared address; not Serving */
            steppingDown: boolean;
            /**
             * @description `Serving` (serving), `Standby` (reachable, not serving, or stepping down) or `Unknown` (not reachable)
             * @enum {string}
             */
            haStatus: "Serving" | "Standby" | "Unknown";
            /** @description The epoch it serves under, else the highest it knows */
            epoch: number | null;
            /** @description Recorder up, storage fine and enough cameras recording */
            healthy: boolean | null;
            /** @description Heartbeat round trip to its peer */
            ping: {
                avgMs: number | null;
                maxMs: number | null;
                lastMs: number | null;
            } | null;
            /** @description The agent's uptime */
            uptimeSeconds: number | null;
            /** @description The Recording Server service */
            service: ("running" | "stopped" | "starting" | "stopping" | "unknown") | null;
            /** @description Why the recorder probe failed, when it did */
            problem: string | null;
            /** @description The cluster policy version its agent last reported running (0: its agent.yaml's bootstrap default until a policy arrives); null: no report that says */
            policyVersion: number | null;
            /** @description It reported running the cluster's current policy version; false when it lags behind (or has not said): the console marks it */
            policyCurrent: boolean;
        };
        NodeSummary: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            clusterId: string;
            /** @description Node name, unique in the cluster (often the Windows host name) */
            name: string;
            /**
             * @description primary/secondary in a cloned pair; primary/failover in a pool
             * @enum {string}
             */
            role: "primary" | "secondary" | "failover";
            /** @description DNS host name of the recording server */
            hostName: string;
            /** @description Addresses of the host, most preferred first */
            addresses: string[];
            /** @description Base URL of the node's twinrec agent, where the controller relays commands with the cluster secret. Set by the agent when it registers (with the secret); refused in a create or change through the API */
            readonly agentUrl: string | null;
            /** @description RecorderConfig.xml recorder/id; a cloned pair shares one */
            recorderId: string | null;
            /** @description SHA-256 fingerprint of the agent API's certificate (AB:CD:…), which the controller pins when it relays commands to an https agentUrl. Set by the agent when it registers; null for an agent on plain HTTP (loopback) or one that has not registered since */
            readonly agentCertificateFingerprint: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: int64 */
            version: number;
            /**
             * @description `Serving` (of the nodes that say they serve, the one with the highest epoch), `Standby` (reachable, not serving, or stepping down under a lower epoch) or `Unknown` (not reachable: no longer its agent reported within 3 of its report intervals (at least 2.5 s) and within agents.staleAfterMs)
             * @enum {string}
             */
            haStatus: "Serving" | "Standby" | "Unknown";
            /** @description SafeKit node state, last reported; null before the first report */
            state: ("STOP" | "WAIT" | "ALONE" | "PRIM" | "SECOND") | null;
            /** @description The agent's uptime, last reported */
            uptimeSeconds: number | null;
            /** @description Heartbeat round trip to its peer, last reported */
            ping: {
                avgMs: number | null;
                maxMs: number | null;
            } | null;
            /** @description Storages (recording and archive) in the last report */
            storageCount: number | null;
            /** @description What it lacks of what its peer holds and how the backfill job stands, last reported; null when its agent reports no backfill status */
            backfill: components["schemas"]["NodeBackfillSummary"] | null;
        };
        NodeUpdate: {
            /** @description Node name, unique in the cluster (often the Windows host name) */
            name?: string;
            /**
             * @description primary/secondary in a cloned pair; primary/failover in a pool
             * @enum {string}
             */
            role?: "primary" | "secondary" | "failover";
            /** @description DNS host name of the recording server */
            hostName?: string;
            /** @description Addresses of the host, most preferred first */
            addresses?: string[];
            /** @description Base URL of the node's twinrec agent, where the controller relays commands with the cluster secret. Set by the agent when it registers (with the secret); refused in a create or change through the API */
            readonly agentUrl?: string | null;
            /** @description RecorderConfig.xml recorder/id; a cloned pair shares one */
            recorderId?: string | null;
        };
        PasswordChange: {
            currentPassword: string;
            /** @description 12 to 256 characters */
            newPassword: string;
        };
        Pool: {
            /** Format: uuid */
            clusterId: string;
            /** @description The protected recording servers (node role `primary`), by name */
            protectedServers: components["schemas"]["ProtectedServer"][];
            /** @description By name */
            failoverGroups: components["schemas"]["FailoverGroup"][];
            /** @description The standby recording servers (node role `failover`), by name */
            standbys: components["schemas"]["PoolStandby"][];
        };
        /** @description RFC 9457 problem details */
        PoolFailedOverConfirm: {
            /** @enum {string} */
            type: "urn:twinrec:problem:validation-failed" | "urn:twinrec:problem:malformed-json" | "urn:twinrec:problem:unauthorized" | "urn:twinrec:problem:unauthenticated" | "urn:twinrec:problem:invalid-credentials" | "urn:twinrec:problem:forbidden" | "urn:twinrec:problem:csrf-rejected" | "urn:twinrec:problem:not-found" | "urn:twinrec:problem:method-not-allowed" | "urn:twinrec:problem:not-acceptable" | "urn:twinrec:problem:cluster-name-taken" | "urn:twinrec:problem:node-name-taken" | "urn:twinrec:problem:role-conflict" | "urn:twinrec:problem:recorder-identity-mismatch" | "urn:twinrec:problem:preferred-node-invalid" | "urn:twinrec:problem:switch-not-possible" | "urn:twinrec:problem:target-missing-data" | "urn:twinrec:problem:command-refused" | "urn:twinrec:problem:cluster-unreachable" | "urn:twinrec:problem:username-taken" | "urn:twinrec:problem:last-admin" | "urn:twinrec:problem:precondition-failed" | "urn:twinrec:problem:body-too-large" | "urn:twinrec:problem:unsupported-media-type" | "urn:twinrec:problem:login-rate-limited" | "urn:twinrec:problem:account-stream-limit-reached" | "urn:twinrec:problem:database-unavailable" | "urn:twinrec:problem:request-timeout" | "urn:twinrec:problem:login-busy" | "urn:twinrec:problem:stream-limit-reached" | "urn:twinrec:problem:console-not-built" | "urn:twinrec:problem:internal-error" | "urn:twinrec:problem:agent-unreachable" | "urn:twinrec:problem:agent-secret-exists" | "urn:twinrec:problem:generic-event-settings-invalid" | "urn:twinrec:problem:generic-event-not-delivered" | "urn:twinrec:problem:webhook-invalid" | "urn:twinrec:problem:webhook-name-taken" | "urn:twinrec:problem:webhook-version-conflict" | "urn:twinrec:problem:cluster-not-pool" | "urn:twinrec:problem:cluster-is-pool" | "urn:twinrec:problem:pool-role-mismatch" | "urn:twinrec:problem:failover-group-name-taken" | "urn:twinrec:problem:failover-group-version-conflict" | "urn:twinrec:problem:failover-group-in-use" | "urn:twinrec:problem:failover-group-invalid" | "urn:twinrec:problem:standby-in-other-group" | "urn:twinrec:problem:standby-is-hot-standby" | "urn:twinrec:problem:hot-standby-in-group" | "urn:twinrec:problem:hot-standby-taken" | "urn:twinrec:problem:pool-node-in-failover" | "urn:twinrec:problem:pool-failed-over-confirm" | "urn:twinrec:problem:pool-mode-mismatch" | "urn:twinrec:problem:pool-not-protected-server" | "urn:twinrec:problem:recorder-config-invalid" | "urn:twinrec:problem:pool-shared-address-taken" | "urn:twinrec:problem:pool-recorder-id-taken" | "urn:twinrec:problem:pool-failover-not-possible";
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path?: string;
                message?: string;
            }[];
            /** @description `pool-failed-over-confirm`, `pool-node-in-failover`: the standby that holds the protected server now */
            standby?: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            };
            /**
             * @description `pool-failed-over-confirm`, `pool-node-in-failover`: what that standby does: `taking-over`, `serving` or `syncing-back`
             * @enum {string}
             */
            leaseState?: "free" | "taking-over" | "serving" | "syncing-back";
        };
        PoolFailover: {
            /** Format: uuid */
            protectedNodeId: string;
            /** Format: uuid */
            standbyNodeId: string;
            /**
             * @description `taking-over`: the supervisor orders the takeover; `syncing-back`: held until finish failback; `free`: the standby is released; `closed`: replaced
             * @enum {string}
             */
            lease: "free" | "taking-over" | "serving" | "syncing-back" | "closed";
            /**
             * Format: int64
             * @description The takeover's fencing epoch
             */
            epoch: number;
        };
        PoolHotStandby: {
            /** @description The server it is the hot standby of (or, unassigned, still runs the identity of until it is cold again) */
            protectedServer: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            };
            /**
             * @description `cold`: it does not run that server's current RecorderConfig.xml yet (the controller orders it to); `preparing`: stopping, cloning, starting its recorder with the server's identity; `ready`: records the server's cameras, a takeover only claims the endpoint; `restoring`: back to its own configuration; `failed`: a step failed (`error`), the controller orders it again after a backoff
             * @enum {string}
             */
            state: "cold" | "preparing" | "ready" | "restoring" | "failed";
            /** @description SHA-256 of the RecorderConfig.xml it runs or prepares, as its agent last reported; null: none */
            configSha256: string | null;
            /** @description `failed`: the step and why; null otherwise */
            error: {
                step: string;
                reason: string;
            } | null;
        };
        PoolStandby: {
            /** Format: uuid */
            nodeId: string;
            name: string;
            /** @description Its agent reports (fresh) */
            reachable: boolean;
            /** @description Cameras it records at once; null: not set yet (by its agent's registration or `PUT …/standby`) */
            cameraCapacity: number | null;
            /** @description The failover group it is in; null: none */
            failoverGroupId: string | null;
            /** @description The protected server it is the hot standby of; null: none */
            hotStandbyFor: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            } | null;
            /** @description Its readiness as a hot standby, from its agent's last report; null: not a hot standby and running no server's identity */
            hot: components["schemas"]["PoolHotStandby"] | null;
            /** @description Its lease in the controller's database: who it serves is assigned only by compare-and-set on it */
            lease: {
                /** @enum {string} */
                state: "free" | "taking-over" | "serving" | "syncing-back";
                /**
                 * Format: int64
                 * @description The fencing epoch of its last takeover; 0 before any
                 */
                epoch: number;
            };
            /** @description The protected server it takes over, serves or syncs back to; null while free */
            serving: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            } | null;
        };
        PoolStandbyUpdate: {
            /** @description Cameras it records at once: a takeover leaves the cameras beyond it out (with an event), and `capacity-closest` chooses by it */
            cameraCapacity: number;
        };
        /** @description RFC 9457 problem details */
        Problem: {
            /** @enum {string} */
            type: "urn:twinrec:problem:validation-failed" | "urn:twinrec:problem:malformed-json" | "urn:twinrec:problem:unauthorized" | "urn:twinrec:problem:unauthenticated" | "urn:twinrec:problem:invalid-credentials" | "urn:twinrec:problem:forbidden" | "urn:twinrec:problem:csrf-rejected" | "urn:twinrec:problem:not-found" | "urn:twinrec:problem:method-not-allowed" | "urn:twinrec:problem:not-acceptable" | "urn:twinrec:problem:cluster-name-taken" | "urn:twinrec:problem:node-name-taken" | "urn:twinrec:problem:role-conflict" | "urn:twinrec:problem:recorder-identity-mismatch" | "urn:twinrec:problem:preferred-node-invalid" | "urn:twinrec:problem:switch-not-possible" | "urn:twinrec:problem:target-missing-data" | "urn:twinrec:problem:command-refused" | "urn:twinrec:problem:cluster-unreachable" | "urn:twinrec:problem:username-taken" | "urn:twinrec:problem:last-admin" | "urn:twinrec:problem:precondition-failed" | "urn:twinrec:problem:body-too-large" | "urn:twinrec:problem:unsupported-media-type" | "urn:twinrec:problem:login-rate-limited" | "urn:twinrec:problem:account-stream-limit-reached" | "urn:twinrec:problem:database-unavailable" | "urn:twinrec:problem:request-timeout" | "urn:twinrec:problem:login-busy" | "urn:twinrec:problem:stream-limit-reached" | "urn:twinrec:problem:console-not-built" | "urn:twinrec:problem:internal-error" | "urn:twinrec:problem:agent-unreachable" | "urn:twinrec:problem:agent-secret-exists" | "urn:twinrec:problem:generic-event-settings-invalid" | "urn:twinrec:problem:generic-event-not-delivered" | "urn:twinrec:problem:webhook-invalid" | "urn:twinrec:problem:webhook-name-taken" | "urn:twinrec:problem:webhook-version-conflict" | "urn:twinrec:problem:cluster-not-pool" | "urn:twinrec:problem:cluster-is-pool" | "urn:twinrec:problem:pool-role-mismatch" | "urn:twinrec:problem:failover-group-name-taken" | "urn:twinrec:problem:failover-group-version-conflict" | "urn:twinrec:problem:failover-group-in-use" | "urn:twinrec:problem:failover-group-invalid" | "urn:twinrec:problem:standby-in-other-group" | "urn:twinrec:problem:standby-is-hot-standby" | "urn:twinrec:problem:hot-standby-in-group" | "urn:twinrec:problem:hot-standby-taken" | "urn:twinrec:problem:pool-node-in-failover" | "urn:twinrec:problem:pool-failed-over-confirm" | "urn:twinrec:problem:pool-mode-mismatch" | "urn:twinrec:problem:pool-not-protected-server" | "urn:twinrec:problem:recorder-config-invalid" | "urn:twinrec:problem:pool-shared-address-taken" | "urn:twinrec:problem:pool-recorder-id-taken" | "urn:twinrec:problem:pool-failover-not-possible";
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path?: string;
                message?: string;
            }[];
        };
        ProtectedServer: {
            /** Format: uuid */
            nodeId: string;
            name: string;
            /** @description Its agent reports (fresh) */
            reachable: boolean;
            settings: components["schemas"]["ProtectedServerFailoverSettings"];
            failover: components["schemas"]["ProtectedServerFailoverState"];
            /** @description The RecorderConfig.xml its agent last pushed (what a takeover clones onto the standby); null: none on record, so no standby can take it over */
            recorderConfig: {
                /** @description SHA-256 of the file, lower-case hex */
                sha256: string;
                /** Format: date-time */
                receivedAt: string;
            } | null;
        };
        ProtectedServerFailbackSync: {
            /**
             * @description `placing` (placeholders, the recorder still stopped); `running` (filling them from the standby); `waiting` (the standby's agent does not answer, or the storage is unavailable or full: retried); `done`; `failed` (`error`; the standby stays held until failback is finished)
             * @enum {string}
             */
            state: "placing" | "running" | "waiting" | "done" | "failed";
            /** @description Bytes copied of the bytes planned, rounded down; 100 when done */
            percent: number;
            /** Format: int64 */
            bytesDone: number;
            /** Format: int64 */
            bytesTotal: number;
            /** Format: int64 */
            blocksDone: number;
            /** Format: int64 */
            blocksTotal: number;
            /** @description The failover window still only on the standby (what it recorded of this server's cameras): its start; null once done */
            onlyOnStandbyFrom: string | null;
            /** @description …and its end; null once done */
            onlyOnStandbyUntil: string | null;
            /** @description Why it waits or failed; null otherwise */
            error: string | null;
        };
        ProtectedServerFailoverSettings: {
            /** @description The failover group whose standbys take it over first; null: none */
            primaryGroupId: string | null;
            /** @description Used only when every standby of the primary group is busy; needs a primary group, and another one */
            secondaryGroupId: string | null;
            /** @description A standby dedicated to this server, in no failover group: its recorder runs and it takes over first */
            hotStandbyNodeId: string | null;
            /**
             * @description `sequence`: the first free standby in the group's order; `capacity-closest`: the free standby whose camera capacity is the closest match to the server's camera count (seed 003)
             * @enum {string}
             */
            standbySelection: "sequence" | "capacity-closest";
            /** @description `host:port` where its clients connect, as its agent registered it; a takeover claims it. Null until its agent registered one */
            readonly sharedAddress: string | null;
        };
        ProtectedServerFailoverState: {
            /**
             * @description `protected`; `failed-over` (a standby takes or took it over); `failback-sync` (recovered: the standby's recordings go back before it is free); `waiting` (failed, no standby free); `failover-needed` (failed, the pool's failover is manual); `recovered` (healthy for the hold-down, the pool's stop is manual)
             * @enum {string}
             */
            state: "protected" | "failed-over" | "failback-sync" | "waiting" | "failover-needed" | "recovered";
            /** @description What made it fail (`disconnected`, `service-down`, `storage`); null when protected or not known */
            trigger: ("disconnected" | "service-down" | "storage") | null;
            /** @description When it counted as failed; for `failback-sync` when the sync began; null when protected */
            since: string | null;
            /** @description The standby that serves it or syncs back to it (its lease); null otherwise */
            standby: {
                /** Format: uuid */
                nodeId: string;
                nodeName: string;
            } | null;
            /** @description `failback-sync`: the sync's progress as the protected server's agent last reported it; null in any other state, or before its agent reported the sync */
            sync: components["schemas"]["ProtectedServerFailbackSync"] | null;
        };
        ProtectedServerFailoverUpdate: {
            /** @description The failover group whose standbys take it over first; null: none */
            primaryGroupId: string | null;
            /** @description Used only when every standby of the primary group is busy; needs a primary group, and another one */
            secondaryGroupId: string | null;
            /** @description A standby dedicated to this server, in no failover group: its recorder runs and it takes over first */
            hotStandbyNodeId: string | null;
            /**
             * @description `sequence`: the first free standby in the group's order; `capacity-closest`: the free standby whose camera capacity is the closest match to the server's camera count (seed 003)
             * @enum {string}
             */
            standbySelection: "sequence" | "capacity-closest";
            /** @description Needed (`true`) while the server is failed over (a standby takes it over, serves it or syncs back to it): the change applies at its next failover, not to the running one */
            confirm?: boolean;
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not-ready";
            database: {
                /** @enum {string} */
                dialect: "sqlite" | "postgres" | "mssql";
                reachable: boolean;
                /** Format: int64 */
                migrationsPending: number;
                error?: string;
            };
        };
        ServingTimeDailyReport: {
            /** @description The columns, in the order CSV gives them */
            columns: string[];
            rows: components["schemas"]["ServingTimeDailyRow"][];
            /** @description More rows matched than rowsMax */
            truncated: boolean;
            /** Format: int64 */
            rowsMax: number;
        };
        /** @description Serving time of one node on one UTC day (v_serving_time_daily) */
        ServingTimeDailyRow: {
            /**
             * Format: date
             * @description The UTC day
             */
            day: string;
            cluster_id: string;
            cluster: string | null;
            node_id: string;
            node: string | null;
            /** @description How long the node served that day, as its reports confirmed it */
            serving_seconds: number;
            /** @description serving_seconds as a share of the whole day (86,400 s), in percent; today's counts the day so far against the whole day */
            serving_percent: number;
            /**
             * Format: int64
             * @description Serving spans that day (a new one after each change of epoch, or a silence longer than the controller's agents.staleAfterMs)
             */
            spans: number;
            /** Format: date-time */
            first_start_at: string;
            /** Format: date-time */
            last_end_at: string;
        };
        Session: {
            user: components["schemas"]["UserRef"];
            /**
             * @description The session cookie, or an API token
             * @enum {string}
             */
            via: "session" | "token";
            /**
             * @description What this caller may do: the account's role, bounded by the token's for a token
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
            /** @description When the session or token ends; null for a token without an end */
            expiresAt: string | null;
            /** @description The focused node per cluster */
            focus: components["schemas"]["Focus"][];
        };
        Storage: {
            storageId: string;
            name: string;
            /** @description Its location, e.g. `D:\MediaDatabase` */
            path: string;
            available: boolean;
            /** @description UsedSpaceInBytes as the recorder reports it (GetRecordingStorageStatus) */
            usedSpaceBytes: number;
            /** @description FreeSpaceInBytes as the recorder reports it */
            freeSpaceBytes: number;
            /** @description The "Size" of the storage: used plus free bytes as the recorder reports them, not the size of the volume */
            sizeBytes: number;
            /** @description What the storage holds, as the node's agent read it from disk; null when its agent reads no spans for this storage (no storage adapter configured, an agent that predates them, or no scan yet) */
            spans: components["schemas"]["StorageSpans"] | null;
        };
        /** @description A span runs from the oldest data to the end of the newest (the newest frame's time plus one frame interval); its times are null when there is no such data */
        StorageSpans: {
            /**
             * Format: date-time
             * @description When the agent finished the scan (every `storage.refreshIntervalMs` of its config, 15 s by default)
             */
            scannedAt: string;
            /**
             * Format: int64
             * @description Cameras read
             */
            cameraCount: number;
            /** @description A bound left part of the storage out (cameras, index length, intervals kept): the figures are approximate */
            truncated: boolean;
            /** @description Recorded data (recorded by this node, or backfilled): "Camera data: 0 days, 14:14:34, 100 %" */
            cameraData: {
                /** @description Oldest recorded time, over all cameras */
                oldestAt: string | null;
                /** @description Newest recorded time, over all cameras */
                newestAt: string | null;
                /** @description newestAt - oldestAt */
                spanSeconds: number;
                /** @description Seconds of the span in which at least one camera has recordings */
                coveredSeconds: number;
                /** @description coveredSeconds / spanSeconds: 100 when the storage has no gap in which no camera recorded */
                coveragePercent: number;
            };
            /** @description Placeholders waiting for backfill: "Placeholder data: 0 days, 00:00:00, 0 %" */
            placeholderData: {
                oldestAt: string | null;
                newestAt: string | null;
                /** @description newestAt - oldestAt */
                spanSeconds: number;
                /** @description Seconds in which at least one camera has a pending placeholder */
                coveredSeconds: number;
                /** @description Pending placeholder time as a share of all the storage's data, counted per camera; 0 once backfill is done */
                sharePercent: number;
            };
        };
        SwitchAccepted: {
            /** Format: uuid */
            clusterId: string;
            /**
             * Format: uuid
             * @description The node that served when the switch was asked for
             */
            from: string;
            /** @description The node that is to serve, when the agent named one */
            to: string | null;
            /** @description The epoch the new Serving node will claim */
            expectedEpoch: number | null;
            result: components["schemas"]["CommandResult"];
            /** @description Set when the new Serving node keeps a shorter retention (a smaller storage): what it lacks, though it is complete within its own retention */
            shorterRetention: {
                /**
                 * Format: int64
                 * @description The new Serving node's own retention
                 */
                retentionMinutes: number;
                /**
                 * Format: int64
                 * @description The retention of the node it takes over from
                 */
                peerRetentionMinutes: number;
                /**
                 * Format: date-time
                 * @description Recordings older than this are only on the other node: playback through the shared address finds none
                 */
                olderThan: string;
            } | null;
        };
        /** @description RFC 9457 problem details */
        SwitchNotPossible: {
            /** @enum {string} */
            type: "urn:twinrec:problem:validation-failed" | "urn:twinrec:problem:malformed-json" | "urn:twinrec:problem:unauthorized" | "urn:twinrec:problem:unauthenticated" | "urn:twinrec:problem:invalid-credentials" | "urn:twinrec:problem:forbidden" | "urn:twinrec:problem:csrf-rejected" | "urn:twinrec:problem:not-found" | "urn:twinrec:problem:method-not-allowed" | "urn:twinrec:problem:not-acceptable" | "urn:twinrec:problem:cluster-name-taken" | "urn:twinrec:problem:node-name-taken" | "urn:twinrec:problem:role-conflict" | "urn:twinrec:problem:recorder-identity-mismatch" | "urn:twinrec:problem:preferred-node-invalid" | "urn:twinrec:problem:switch-not-possible" | "urn:twinrec:problem:target-missing-data" | "urn:twinrec:problem:command-refused" | "urn:twinrec:problem:cluster-unreachable" | "urn:twinrec:problem:username-taken" | "urn:twinrec:problem:last-admin" | "urn:twinrec:problem:precondition-failed" | "urn:twinrec:problem:body-too-large" | "urn:twinrec:problem:unsupported-media-type" | "urn:twinrec:problem:login-rate-limited" | "urn:twinrec:problem:account-stream-limit-reached" | "urn:twinrec:problem:database-unavailable" | "urn:twinrec:problem:request-timeout" | "urn:twinrec:problem:login-busy" | "urn:twinrec:problem:stream-limit-reached" | "urn:twinrec:problem:console-not-built" | "urn:twinrec:problem:internal-error" | "urn:twinrec:problem:agent-unreachable" | "urn:twinrec:problem:agent-secret-exists" | "urn:twinrec:problem:generic-event-settings-invalid" | "urn:twinrec:problem:generic-event-not-delivered" | "urn:twinrec:problem:webhook-invalid" | "urn:twinrec:problem:webhook-name-taken" | "urn:twinrec:problem:webhook-version-conflict" | "urn:twinrec:problem:cluster-not-pool" | "urn:twinrec:problem:cluster-is-pool" | "urn:twinrec:problem:pool-role-mismatch" | "urn:twinrec:problem:failover-group-name-taken" | "urn:twinrec:problem:failover-group-version-conflict" | "urn:twinrec:problem:failover-group-in-use" | "urn:twinrec:problem:failover-group-invalid" | "urn:twinrec:problem:standby-in-other-group" | "urn:twinrec:problem:standby-is-hot-standby" | "urn:twinrec:problem:hot-standby-in-group" | "urn:twinrec:problem:hot-standby-taken" | "urn:twinrec:problem:pool-node-in-failover" | "urn:twinrec:problem:pool-failed-over-confirm" | "urn:twinrec:problem:pool-mode-mismatch" | "urn:twinrec:problem:pool-not-protected-server" | "urn:twinrec:problem:recorder-config-invalid" | "urn:twinrec:problem:pool-shared-address-taken" | "urn:twinrec:problem:pool-recorder-id-taken" | "urn:twinrec:problem:pool-failover-not-possible";
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path?: string;
                message?: string;
            }[];
            /**
             * @description `refused`: the agent gave no reason this controller knows
             * @enum {string}
             */
            reason: "no-serving-node" | "switch-in-progress" | "not-serving" | "peer-not-ready" | "maintenance" | "stopped" | "sync-not-pending" | "busy" | "no-backfill" | "backfill-disabled" | "refused";
        };
        SwitchRequest: {
            /** @description Free text for the agent's event log */
            reason?: string;
            /** @description Switch even though the node that would serve lacks recordings its peer holds (otherwise 409 `target-missing-data`); the override is audited with the missing seconds */
            force?: boolean;
        };
        /** @description RFC 9457 problem details */
        TargetMissingData: {
            /** @enum {string} */
            type: "urn:twinrec:problem:validation-failed" | "urn:twinrec:problem:malformed-json" | "urn:twinrec:problem:unauthorized" | "urn:twinrec:problem:unauthenticated" | "urn:twinrec:problem:invalid-credentials" | "urn:twinrec:problem:forbidden" | "urn:twinrec:problem:csrf-rejected" | "urn:twinrec:problem:not-found" | "urn:twinrec:problem:method-not-allowed" | "urn:twinrec:problem:not-acceptable" | "urn:twinrec:problem:cluster-name-taken" | "urn:twinrec:problem:node-name-taken" | "urn:twinrec:problem:role-conflict" | "urn:twinrec:problem:recorder-identity-mismatch" | "urn:twinrec:problem:preferred-node-invalid" | "urn:twinrec:problem:switch-not-possible" | "urn:twinrec:problem:target-missing-data" | "urn:twinrec:problem:command-refused" | "urn:twinrec:problem:cluster-unreachable" | "urn:twinrec:problem:username-taken" | "urn:twinrec:problem:last-admin" | "urn:twinrec:problem:precondition-failed" | "urn:twinrec:problem:body-too-large" | "urn:twinrec:problem:unsupported-media-type" | "urn:twinrec:problem:login-rate-limited" | "urn:twinrec:problem:account-stream-limit-reached" | "urn:twinrec:problem:database-unavailable" | "urn:twinrec:problem:request-timeout" | "urn:twinrec:problem:login-busy" | "urn:twinrec:problem:stream-limit-reached" | "urn:twinrec:problem:console-not-built" | "urn:twinrec:problem:internal-error" | "urn:twinrec:problem:agent-unreachable" | "urn:twinrec:problem:agent-secret-exists" | "urn:twinrec:problem:generic-event-settings-invalid" | "urn:twinrec:problem:generic-event-not-delivered" | "urn:twinrec:problem:webhook-invalid" | "urn:twinrec:problem:webhook-name-taken" | "urn:twinrec:problem:webhook-version-conflict" | "urn:twinrec:problem:cluster-not-pool" | "urn:twinrec:problem:cluster-is-pool" | "urn:twinrec:problem:pool-role-mismatch" | "urn:twinrec:problem:failover-group-name-taken" | "urn:twinrec:problem:failover-group-version-conflict" | "urn:twinrec:problem:failover-group-in-use" | "urn:twinrec:problem:failover-group-invalid" | "urn:twinrec:problem:standby-in-other-group" | "urn:twinrec:problem:standby-is-hot-standby" | "urn:twinrec:problem:hot-standby-in-group" | "urn:twinrec:problem:hot-standby-taken" | "urn:twinrec:problem:pool-node-in-failover" | "urn:twinrec:problem:pool-failed-over-confirm" | "urn:twinrec:problem:pool-mode-mismatch" | "urn:twinrec:problem:pool-not-protected-server" | "urn:twinrec:problem:recorder-config-invalid" | "urn:twinrec:problem:pool-shared-address-taken" | "urn:twinrec:problem:pool-recorder-id-taken" | "urn:twinrec:problem:pool-failover-not-possible";
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path?: string;
                message?: string;
            }[];
            /**
             * Format: uuid
             * @description The node that would serve
             */
            nodeId: string;
            nodeName: string;
            /** @description Camera-seconds it lacks of what its peer holds, within its own retention, as its agent last reported them */
            missingSeconds: number;
            /** Format: int64 */
            camerasAffected: number;
            /** @description The cameras it lacks data of, most missing first (at most 64), each with its missing ranges (the newest, as its agent reports them) */
            cameras: {
                deviceId: string;
                missingSeconds: number;
                gaps: components["schemas"]["BackfillGap"][];
            }[];
        };
        /** @description Which node served when, the changes of the Serving role, and each node's data gaps, in [from, to) */
        Timeline: {
            /** Format: uuid */
            clusterId: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            windowSeconds: number;
            /** @description Where `unservedSeconds` is counted from: the window's start, or the first time any node of the cluster was seen serving if later; null when none ever was */
            observedFrom: string | null;
            /** @description Where it is counted to: the window's end, or now if earlier */
            observedTo: string | null;
            /** @description Seconds between observedFrom and observedTo in which no node served (as the reports say) */
            unservedSeconds: number;
            /** @description The cluster's nodes (by name), then any other node the records name */
            nodes: components["schemas"]["TimelineNode"][];
            /** @description Oldest first */
            markers: components["schemas"]["TimelineMarker"][];
            /** @description More bands and markers than itemsMax (the markers are kept first, then each node's oldest bands), or more records matched than the controller reads for one answer */
            truncated: boolean;
            /**
             * Format: int64
             * @description The most bands and markers one answer holds, all nodes together
             */
            itemsMax: number;
        };
        /** @description Recordings one node lacked and its peer held (the union of its cameras' gaps in one state), clipped to the window */
        TimelineGapBand: {
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end: string;
            /**
             * @description `open`: still (partly) missing; `filled`: backfill restored all of it; `expired`: it left the node's retention first
             * @enum {string}
             */
            state: "open" | "filled" | "expired";
            /**
             * Format: int64
             * @description How many cameras lacked recordings within it
             */
            cameras: number;
            /** @description What the latest gap audits still found missing in it, summed over its cameras (0 once filled) */
            missingSeconds: number;
            /** @description When the last of its gaps was found filled (or expired); null while open */
            resolvedAt: string | null;
        };
        /** @description One change of the Serving role (the failover history) */
        TimelineMarker: {
            /** @description The failover record */
            id: string;
            /**
             * Format: date-time
             * @description When the deciding agent decided
             */
            time: string;
            /**
             * @description `failover` (peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health), `failback`, `switch` (switch, swap)
             * @enum {string}
             */
            kind: "failover" | "failback" | "switch";
            fromNodeId: string | null;
            toNodeId: string | null;
            /** @description peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health, failback, switch, swap */
            reason: string;
            /** @enum {string} */
            trigger: "automatic" | "manual";
            /** @description From the trouble to the decision; null when not measured */
            detectionMs: number | null;
            /** @description From the decision to the new node's serving endpoint claimed; null until known */
            switchMs: number | null;
            epoch: number | null;
        };
        /** @description One node on the timeline */
        TimelineNode: {
            /** Format: uuid */
            nodeId: string;
            /** @description The node's name; its id for a node no longer in the cluster */
            name: string;
            /** @description How long it served within the window */
            servingSeconds: number;
            /** @description servingSeconds over the window's length */
            servingShare: number;
            /** @description Oldest first */
            serving: components["schemas"]["TimelineServingBand"][];
            /** @description Oldest first */
            gaps: components["schemas"]["TimelineGapBand"][];
        };
        /** @description A stretch of time one node served, clipped to the window; spans under one epoch less than 2 s apart are one band */
        TimelineServingBand: {
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end: string;
            /**
             * Format: int64
             * @description The epoch the node served under
             */
            epoch: number;
            /** @description Still serving at the latest report (`end` is that report's time) */
            open: boolean;
        };
        Token: {
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * @description `viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
            /**
             * Format: uuid
             * @description The owner
             */
            userId: string;
            /** @description The owner's name */
            username: string;
            /** Format: date-time */
            createdAt: string;
            expiresAt: string | null;
            /** @description Within a minute */
            lastUsedAt: string | null;
        };
        TokenCreate: {
            /** @description What the token is for, e.g. `monitoring` */
            name: string;
            /**
             * @description At most the caller's role (the default)
             * @enum {string}
             */
            role?: "viewer" | "operator" | "admin";
            /**
             * Format: date-time
             * @description When it stops working; none by default
             */
            expiresAt?: string;
        };
        TokenCreated: {
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * @description `viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
            /**
             * Format: uuid
             * @description The owner
             */
            userId: string;
            /** @description The owner's name */
            username: string;
            /** Format: date-time */
            createdAt: string;
            expiresAt: string | null;
            lastUsedAt: null;
            /** @description The secret: shown only in this answer */
            token: string;
        };
        User: {
            /** Format: uuid */
            id: string;
            username: string;
            /**
             * @description `viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            passwordChangedAt: string;
            lastLoginAt: string | null;
        };
        UserCreate: {
            /** @description Lower-case letters, digits and `. _ @ -`, at most 64; unique */
            username: string;
            /** @description 12 to 256 characters */
            password: string;
            /**
             * @description `viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
        };
        UserRef: {
            /** Format: uuid */
            id: string;
            username: string;
            /**
             * @description `viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
        };
        UserUpdate: {
            /**
             * @description `viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log
             * @enum {string}
             */
            role?: "viewer" | "operator" | "admin";
            /** @description 12 to 256 characters */
            password?: string;
        };
        /** @description An outgoing HTTP notification of stored events, signed with its secret (never shown here) */
        Webhook: {
            /** Format: uuid */
            id: string;
            name: string;
            url: string;
            enabled: boolean;
            eventKinds: string[];
            /** @enum {string} */
            severityMin: "info" | "warning" | "error" | "critical";
            clusterId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: int64
             * @description 1 at first, one more with every change; the ETag is `"w<version>"`
             */
            version: number;
        };
        WebhookCreate: {
            /** @description Unique name of the webhook */
            name: string;
            /** @description Where events are POSTed: an `http` or `https` URL, without user name or password (put a token in the path or query if the receiver needs one) */
            url: string;
            /** @description The signing secret (16–128 printable ASCII characters); absent: the controller generates one (32 random bytes, base64url). Either way it is shown in this answer only */
            secret?: string;
            /** @description Default true */
            enabled?: boolean;
            /** @description Default `["*"]`: every kind */
            eventKinds?: string[];
            /**
             * @description Default `info`: every severity
             * @enum {string}
             */
            severityMin?: "info" | "warning" | "error" | "critical";
            /** @description Default null: every cluster's events */
            clusterId?: string | null;
        };
        WebhookDelivery: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            eventId: string;
            eventKind: string;
            /**
             * Format: int64
             * @description 1 for the first attempt; a `dropped` entry repeats the last attempt's number (0: never tried, the queue was full)
             */
            attempt: number;
            /** Format: date-time */
            time: string;
            /**
             * @description `delivered` (a 2xx answer), `failed` (any other answer or none; retried), `dropped` (given up: every retry failed, the queue was full, or the webhook was disabled)
             * @enum {string}
             */
            outcome: "delivered" | "failed" | "dropped";
            /** @description The receiver's status; null without an answer */
            httpStatus: number | null;
            error: string | null;
            /** Format: int64 */
            durationMs: number;
        };
        /** @description The newest attempts first */
        WebhookDeliveryList: {
            items: components["schemas"]["WebhookDelivery"][];
        };
        WebhookList: {
            items: components["schemas"]["Webhook"][];
        };
        WebhookTestResult: {
            /**
             * Format: uuid
             * @description The id of the `webhook.test` event sent
             */
            eventId: string;
            /** @enum {string} */
            outcome: "delivered" | "failed";
            httpStatus: number | null;
            error: string | null;
            /** Format: int64 */
            durationMs: number;
        };
        /** @description Some settings of a webhook; the secret changes with `…/rotate-secret` only */
        WebhookUpdate: {
            /** @description Unique name of the webhook */
            name?: string;
            /** @description Where events are POSTed: an `http` or `https` URL, without user name or password (put a token in the path or query if the receiver needs one) */
            url?: string;
            enabled?: boolean;
            /** @description Which event kinds are sent: `*` (all), an exact kind (`failover.claiming`), or a prefix ending in `.*` (`failover.*`, `node.*`) */
            eventKinds?: string[];
            /**
             * @description Only events of this severity and above (`info` < `warning` < `error` < `critical`)
             * @enum {string}
             */
            severityMin?: "info" | "warning" | "error" | "critical";
            /** @description Only this cluster's events; null: every cluster's */
            clusterId?: string | null;
            /**
             * Format: int64
             * @description The version this change is based on: a webhook that has moved on is refused (409 `webhook-version-conflict`)
             */
            version?: number;
        };
        /** @description A webhook just created or given a new secret */
        WebhookWithSecret: {
            /** Format: uuid */
            id: string;
            name: string;
            url: string;
            enabled: boolean;
            eventKinds: string[];
            /** @enum {string} */
            severityMin: "info" | "warning" | "error" | "critical";
            clusterId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: int64
             * @description 1 at first, one more with every change; the ETag is `"w<version>"`
             */
            version: number;
            /** @description The signing secret: shown in this answer only, never again */
            secret: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listClusters: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                /** @description Case-insensitive text that the cluster name contains */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of clusters, ordered by name, each with who serves, whether data may be missing, and its nodes as last reported */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterPage"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCluster: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Name taken or node rules violated (`cluster-name-taken`, `node-name-taken`, `role-conflict`, `recorder-identity-mismatch`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cluster */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCluster: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateCluster: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterUpdate"];
            };
        };
        responses: {
            /** @description The updated cluster */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Name taken or preferred node invalid: not a node of the cluster, or named so that its agent cannot know it (`cluster-name-taken`, `preferred-node-invalid`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setAgentSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentSecretRequest"];
            };
        };
        responses: {
            /** @description Set; with the secret when generated (`Cache-Control: no-store`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentSecretSet"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The cluster has a secret and `replace` is not true (`agent-secret-exists`); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listNodes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Nodes, ordered by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Node"][];
                    };
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NodeCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Node"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Node rules violated (`node-name-taken`, `role-conflict`, `recorder-identity-mismatch`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The node; the ETag covers its configuration, not the reported storages */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDetail"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteNode: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description In a failover pool, a standby lease holds the node (`pool-node-in-failover`, naming the `standby` and its `leaseState`): a protected server failed over or syncing back, or the standby doing it. Stop the failover and finish the failback first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["PoolFailedOverConfirm"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateNode: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NodeUpdate"];
            };
        };
        responses: {
            /** @description The updated node */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Node"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Node rules violated (`node-name-taken`, `role-conflict`, `recorder-identity-mismatch`), or the preferred node renamed so that its agent cannot know it (`preferred-node-invalid`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pool */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pool"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a pool (`cluster-not-pool`: the cluster is a cloned pair) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createFailoverGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FailoverGroupCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailoverGroup"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The name is taken in the pool (`failover-group-name-taken`), the pool has 64 groups (`failover-group-invalid`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFailoverGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailoverGroup"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a pool (`cluster-not-pool`: the cluster is a cloned pair) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteFailoverGroup: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A protected server uses it (`failover-group-in-use`, with `protectedNodeIds`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateFailoverGroup: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
                groupId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FailoverGroupUpdate"];
            };
        };
        responses: {
            /** @description The group */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailoverGroup"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The name is taken (`failover-group-name-taken`), the group is no longer at `version` (`failover-group-version-conflict`, with the current `version`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setFailoverGroupStandbys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                groupId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FailoverGroupStandbys"];
            };
        };
        responses: {
            /** @description The group with its sequence */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailoverGroup"];
                };
            };
            /** @description The body does not match the schema, or lists a standby twice (`validation-failed`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A node is not a standby of this pool (`pool-role-mismatch`), is in another group (`standby-in-other-group`) or is a hot standby (`standby-is-hot-standby`); or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setProtectedServerFailover: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProtectedServerFailoverUpdate"];
            };
        };
        responses: {
            /** @description The protected server as the pool shows it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProtectedServer"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Failed over and not confirmed (`pool-failed-over-confirm`, with `standby` and `leaseState`); not a protected server, or a hot standby that is no standby (`pool-role-mismatch`); groups that cannot be used (`failover-group-invalid`); a hot standby in a group (`hot-standby-in-group`) or another server's (`hot-standby-taken`); or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["PoolFailedOverConfirm"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setPoolStandby: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PoolStandbyUpdate"];
            };
        };
        responses: {
            /** @description The standby as the pool shows it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolStandby"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a standby (`pool-role-mismatch`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCameraFailoverLevels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cameras */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraFailoverLevels"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a protected server (`pool-role-mismatch`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setCameraFailoverLevels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CameraFailoverLevelsUpdate"];
            };
        };
        responses: {
            /** @description The cameras with their levels */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraFailoverLevels"];
                };
            };
            /** @description The body does not match the schema, lists a camera twice, or would keep more than 4096 levels (`validation-failed`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Failed over and not confirmed (`pool-failed-over-confirm`, with `standby` and `leaseState`); not a protected server (`pool-role-mismatch`); or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["PoolFailedOverConfirm"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startFailover: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["FailoverStartRequest"];
            };
        };
        responses: {
            /** @description The standby lease as the supervisor will act on it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolFailover"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Already failed over, its failback pending, healthy, no free standby, or its RecorderConfig.xml or shared address unknown (`pool-failover-not-possible`, with `reason`: `already-failed-over`, `not-failed-over`, `no-failback-pending`, `failback-pending`, `server-healthy`, `standby-not-free`, `no-standby-free`, `no-recorder-config`, `no-shared-address`, `changed`), not a protected server (`pool-role-mismatch`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    stopFailover: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["FailoverStopRequest"];
            };
        };
        responses: {
            /** @description The standby lease as the supervisor will act on it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolFailover"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not failed over, or changed meanwhile (`pool-failover-not-possible`, with `reason`: `already-failed-over`, `not-failed-over`, `no-failback-pending`, `failback-pending`, `server-healthy`, `standby-not-free`, `no-standby-free`, `no-recorder-config`, `no-shared-address`, `changed`), not a protected server (`pool-role-mismatch`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    finishFailback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The standby lease as the supervisor will act on it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolFailover"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No failback pending, or changed meanwhile (`pool-failover-not-possible`, with `reason`: `already-failed-over`, `not-failed-over`, `no-failback-pending`, `failback-pending`, `server-healthy`, `standby-not-free`, `no-standby-free`, `no-recorder-config`, `no-shared-address`, `changed`), not a protected server (`pool-role-mismatch`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceProtectedServer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                nodeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FailoverReplaceRequest"];
            };
        };
        responses: {
            /** @description The standby lease as the supervisor will act on it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolFailover"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, node or failover group (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No standby serves it, the standby named is not free, the RecorderConfig.xml or shared address is not on record, or changed meanwhile (`pool-failover-not-possible`, with `reason`: `already-failed-over`, `not-failed-over`, `no-failback-pending`, `failback-pending`, `server-healthy`, `standby-not-free`, `no-standby-free`, `no-recorder-config`, `no-shared-address`, `changed`), not a protected server (`pool-role-mismatch`), or `cluster-not-pool`: the cluster is a cloned pair */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterState: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterState"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterPolicy"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceClusterPolicy: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterPolicyUpdate"];
            };
        };
        responses: {
            /** @description The policy as stored */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterPolicy"];
                };
            };
            /** @description The body does not match the schema, or the settings do not fit together (`validation-failed`, with `errors`: every issue, by path such as `/body/failover/peerTimeoutMs`), or it is not JSON (`malformed-json`); nothing was stored */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The preferred node is not a node of this cluster, or its name is one its agent cannot have (`preferred-node-invalid`); nothing was stored */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateClusterPolicy: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterPolicyPatch"];
            };
        };
        responses: {
            /** @description The policy as stored */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterPolicy"];
                };
            };
            /** @description The body does not match the schema, or the settings do not fit together (`validation-failed`, with `errors`: every issue, by path such as `/body/failover/peerTimeoutMs`), or it is not JSON (`malformed-json`); nothing was stored */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The preferred node is not a node of this cluster, or its name is one its agent cannot have (`preferred-node-invalid`); nothing was stored */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    switchServing: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SwitchRequest"];
            };
        };
        responses: {
            /** @description The agent accepted the switch */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SwitchAccepted"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No node serves, a switch is under way, or the agent refused (`switch-not-possible`, with `reason`); or the node that would serve lacks data and `force` was not set (`target-missing-data`, with `missingSeconds` and `cameras`); or the cluster is a failover pool, whose failovers are started and stopped per protected server (`cluster-is-pool`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["SwitchNotPossible"] | components["schemas"]["TargetMissingData"] | components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The node's agent did not answer usably: refused connection, timeout, redirect, wrong secret or invalid answer; or the cluster secret was not sent: an https agent without a registered certificate fingerprint or showing another certificate, a plain-http agent beyond loopback (`agent-unreachable`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterBackfill: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each node, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterBackfill"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterTimeline: {
        parameters: {
            query?: {
                /** @description Start of the window (ISO 8601) */
                from?: string;
                /** @description End of the window, excluded (ISO 8601; default: now) */
                to?: string;
            };
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The timeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description A time that is not ISO 8601, or a window shorter than 1 minute, longer than 30 days or reversed (`validation-failed`, naming `/query/to` or `/query/from`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backfillStart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BackfillCommandRequest"];
            };
        };
        responses: {
            /** @description At least one agent took the command; each node's answer */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackfillCommandAccepted"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, or no node of that name in it (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No agent took it and one refused (`command-refused`, with its `reason`, e.g. `no-backfill`, `backfill-disabled`); or no node reports a backfill status (`command-refused`, `reason: no-backfill`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["CommandRefused"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No agent took it and none could be reached usably (`agent-unreachable`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backfillPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BackfillCommandRequest"];
            };
        };
        responses: {
            /** @description At least one agent took the command; each node's answer */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackfillCommandAccepted"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, or no node of that name in it (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No agent took it and one refused (`command-refused`, with its `reason`, e.g. `no-backfill`, `backfill-disabled`); or no node reports a backfill status (`command-refused`, `reason: no-backfill`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["CommandRefused"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No agent took it and none could be reached usably (`agent-unreachable`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backfillResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BackfillCommandRequest"];
            };
        };
        responses: {
            /** @description At least one agent took the command; each node's answer */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackfillCommandAccepted"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, or no node of that name in it (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No agent took it and one refused (`command-refused`, with its `reason`, e.g. `no-backfill`, `backfill-disabled`); or no node reports a backfill status (`command-refused`, `reason: no-backfill`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["CommandRefused"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No agent took it and none could be reached usably (`agent-unreachable`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setMaintenance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MaintenanceRequest"];
            };
        };
        responses: {
            /** @description The agent took the command */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MaintenanceSet"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No node has reported recently (`cluster-unreachable`), the agent refused (`command-refused`, with `reason`), or the cluster is a failover pool, which has no maintenance (`cluster-is-pool`; set its policy's failover to manual) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["CommandRefused"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The node's agent did not answer usably: refused connection, timeout, redirect, wrong secret or invalid answer; or the cluster secret was not sent: an https agent without a registered certificate fingerprint or showing another certificate, a plain-http agent beyond loopback (`agent-unreachable`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCameras: {
        parameters: {
            query?: {
                /** @description Only this cluster's cameras (an unknown id gives an empty page) */
                clusterId?: string;
                /** @description Only cameras with a problem (`problem: true`) */
                problems?: boolean;
                /** @description Case-insensitive text the camera name or id contains */
                q?: string;
                /** @description `name` (A–Z), `-name` (Z–A), `cluster` (by cluster name, then camera name), `status` (problems first: disconnected or not recording, then overflow, then mismatched; then by name) */
                sort?: "name" | "-name" | "cluster" | "status";
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of cameras, from the agents' reports as the controller saw them at most a second ago */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraPage"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listClusterCameras: {
        parameters: {
            query?: {
                /** @description Only cameras with a problem (`problem: true`) */
                problems?: boolean;
                /** @description Case-insensitive text the camera name or id contains */
                q?: string;
                /** @description `name` (A–Z), `-name` (Z–A), `cluster` (by cluster name, then camera name), `status` (problems first: disconnected or not recording, then overflow, then mismatched; then by name) */
                sort?: "name" | "-name" | "cluster" | "status";
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of cameras, from the agents' reports as the controller saw them at most a second ago */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraPage"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Only this cluster's events */
                clusterId?: string;
                /** @description Only this node's events */
                nodeId?: string;
                /** @description An event kind (`node.state-changed`), or a prefix ending in `*` (`failover.*`); compared case-sensitively */
                kind?: string;
                /** @description This severity and those above it (`info` < `warning` < `error` < `critical`) */
                severity?: "info" | "warning" | "error" | "critical";
                /** @description Only events at or after this time */
                since?: string;
                /** @description Only events before this time; must be later than `since` */
                until?: string;
                limit?: number;
                /** @description Only events older than this cursor (the previous page's `next`) */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Only this cluster's events */
                clusterId?: string;
                /** @description Only this node's events */
                nodeId?: string;
                /** @description An event kind (`node.state-changed`), or a prefix ending in `*` (`failover.*`); compared case-sensitively */
                kind?: string;
                /** @description This severity and those above it (`info` < `warning` < `error` < `critical`) */
                severity?: "info" | "warning" | "error" | "critical";
                /** @description Without Last-Event-ID: replay the events since this time first (at most 1000) */
                since?: string;
            };
            header?: {
                /** @description Resume after this event cursor */
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The account has 5 streams open already (`account-stream-limit-reached`, with `streamsPerAccountMax`); `Retry-After` says when to try again */
            429: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description 100 streams are open already or the controller is stopping (`stream-limit-reached`), or the database is unavailable for the replay (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in */
            200: {
                headers: {
                    /** @description twinrec_session=<opaque>; HttpOnly; SameSite=Strict; Path=/ */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginAnswer"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Wrong user name or password (`invalid-credentials`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Sent from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many failed logins (`login-rate-limited`); `Retry-After` says when to try again */
            429: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["LoginRateLimited"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many passwords are being checked at once (`login-busy`, `Retry-After: 1`), or the database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Sent from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description Changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many failed checks (`login-rate-limited`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["LoginRateLimited"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many passwords are being checked at once (`login-busy`, `Retry-After: 1`), or the database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accounts (at most 1000) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["User"][];
                    };
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The name is taken (`username-taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many passwords are being checked at once (`login-busy`, `Retry-After: 1`), or the database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such account (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description It is the last admin (`last-admin`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such account (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description It is the last admin (`last-admin`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many passwords are being checked at once (`login-busy`, `Retry-After: 1`), or the database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tokens, newest first (at most 1000); never their secrets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Token"][];
                    };
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Created: `token` is shown this once */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenCreated"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tokenId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low, or the token may do more than the caller (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such token of the caller's (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                /** @description Exactly this account name (agents: `agent:<node>`) */
                actor?: string;
                /** @description An action (`cluster.switch`), or a prefix ending in `*` (`account.*`) */
                action?: string;
                /** @description A target (`cluster/<id>`), or a prefix ending in `*` (`cluster/<id>*` for a cluster and its nodes) */
                target?: string;
                outcome?: "success" | "failure" | "denied";
                /** @description Only entries at or after this time */
                since?: string;
                /** @description Only entries before this time; must be later than `since` */
                until?: string;
                limit?: number;
                /** @description Only entries older than this cursor (the previous page's `next`) */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setFocus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FocusRequest"];
            };
        };
        responses: {
            /** @description Focused */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Focus"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, or the node is not in it (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    clearFocus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No focus in the cluster (whether or not there was one) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster or node (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The cluster and the node. Checked against `registerRequestSchema` of contracts/controller-v1.ts (zod), the one definition agents and controller share; a mismatch is a `validation-failed` problem listing every issue. */
        requestBody: {
            content: {
                "application/json": Record<string, unknown>;
            };
        };
        responses: {
            /** @description The ids to report under */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentRegistration"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No Bearer token, not the cluster secret, an unknown cluster or one without a secret: one answer for all (`unauthorized`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Node rules violated (`role-conflict`, `recorder-identity-mismatch`, `node-name-taken`), a pool's agent and a cloned pair (or a pair's agent and a pool) (`pool-mode-mismatch`), or a protected recording server whose shared address or recorder id another node of the pool already has, such as the standby that replaced it (`pool-shared-address-taken`, `pool-recorder-id-taken`; `nodeId` and `nodeName` name that node) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reportAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Status and events of one node. Checked against `reportRequestSchema` of contracts/controller-v1.ts (zod), the one definition agents and controller share; a mismatch is a `validation-failed` problem listing every issue. */
        requestBody: {
            content: {
                "application/json": Record<string, unknown>;
            };
        };
        responses: {
            /** @description Stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentReportAnswer"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No Bearer token, not the cluster secret, an unknown cluster or one without a secret: one answer for all (`unauthorized`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, or the node is not in it: register again (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pushRecorderConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The cluster, the node and its RecorderConfig.xml. Checked against `recorderConfigPushSchema` of contracts/pool-v1.ts (zod), the one definition agents and controller share; a mismatch is a `validation-failed` problem listing every issue. */
        requestBody: {
            content: {
                "application/json": Record<string, unknown>;
            };
        };
        responses: {
            /** @description Stored */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The file is not canonical base64, does not match its SHA-256 or is not a RecorderConfig.xml (`recorder-config-invalid`); or the body does not match the schema (`validation-failed`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No Bearer token, not the cluster secret, an unknown cluster or one without a secret: one answer for all (`unauthorized`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such cluster, or the node is not in it: register again (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The node is not a failover pool's protected recording server (`pool-not-protected-server`), or the file's recorder id is not the node's (`recorder-identity-mismatch`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGenericEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GenericEventSettingsView"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setGenericEvents: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenericEventSettings"];
            };
        };
        responses: {
            /** @description The settings as stored */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GenericEventSettingsView"];
                };
            };
            /** @description The body does not match the schema (`validation-failed`, `malformed-json`), or a template names a placeholder its kind does not fill, has an unpaired brace, or generic events are enabled without a host (`generic-event-settings-invalid`, every issue in `errors`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    testGenericEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenericEventTestRequest"];
            };
        };
        responses: {
            /** @description The Event Server took it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GenericEventTestResult"];
                };
            };
            /** @description The body does not match the schema (`validation-failed`, `malformed-json`), or no host is set, or both `kind` and `message` are given (`generic-event-settings-invalid`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Event Server did not take it (`generic-event-not-delivered`, with `reason`: `no-access` (the data source's allowed addresses lack the controller's), `unreachable` (refused: the data source is disabled or on another port; unknown host), `timeout` (no connection or echo within `readTimeoutMs`), `bad-echo` (not the echo the format promises), and `host`, `port`, `format`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhooks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description Created, with its secret (`Cache-Control: no-store`) */
            201: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description The body does not match the schema (`validation-failed`, `malformed-json`), or the URL is not http or https, carries a user name or password, or the cluster does not exist (`webhook-invalid`, with `errors`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A webhook with this name exists (`webhook-name-taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such webhook (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such webhook (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description The webhook as stored */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The body does not match the schema (`validation-failed`, `malformed-json`), or the URL or cluster cannot be used (`webhook-invalid`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such webhook (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A webhook with this name exists (`webhook-name-taken`), or the webhook is no longer at `version` (`webhook-version-conflict`, with the current `version`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current ETag (`precondition-failed`) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook with its new secret (`Cache-Control: no-store`) */
            200: {
                headers: {
                    /** @description Version of the resource, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such webhook (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest attempts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such webhook (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the receiver said */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookTestResult"];
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such webhook (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTls: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTTPS and its certificate (null over plain HTTP) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ControllerTls"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSystem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This controller and the leases */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ControllerSystem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFailoverHistoryReport: {
        parameters: {
            query?: {
                /** @description Only rows at or after this time (default: 30 days before `to`) */
                from?: string;
                /** @description Only rows before this time (default: now) */
                to?: string;
                /** @description Only this cluster */
                clusterId?: string;
                /** @description csv: CSV whatever Accept says; json: JSON */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows (`X-Twinrec-Truncated`: whether more matched) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailoverHistoryReport"];
                    "text/csv": string;
                };
            };
            /** @description A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConfigSyncHistoryReport: {
        parameters: {
            query?: {
                /** @description Only rows at or after this time (default: 30 days before `to`) */
                from?: string;
                /** @description Only rows before this time (default: now) */
                to?: string;
                /** @description Only this cluster */
                clusterId?: string;
                /** @description csv: CSV whatever Accept says; json: JSON */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows (`X-Twinrec-Truncated`: whether more matched) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigSyncHistoryReport"];
                    "text/csv": string;
                };
            };
            /** @description A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getServingTimeDailyReport: {
        parameters: {
            query?: {
                /** @description Only rows at or after this time (default: 30 days before `to`) */
                from?: string;
                /** @description Only rows before this time (default: now) */
                to?: string;
                /** @description Only this cluster */
                clusterId?: string;
                /** @description csv: CSV whatever Accept says; json: JSON */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows (`X-Twinrec-Truncated`: whether more matched) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServingTimeDailyReport"];
                    "text/csv": string;
                };
            };
            /** @description A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCameraGapsReport: {
        parameters: {
            query?: {
                /** @description Only rows at or after this time (default: 30 days before `to`) */
                from?: string;
                /** @description Only rows before this time (default: now) */
                to?: string;
                /** @description Only this cluster */
                clusterId?: string;
                /** @description csv: CSV whatever Accept says; json: JSON */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows (`X-Twinrec-Truncated`: whether more matched) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraGapsReport"];
                    "text/csv": string;
                };
            };
            /** @description A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBackfillJobsReport: {
        parameters: {
            query?: {
                /** @description Only rows at or after this time (default: 30 days before `to`) */
                from?: string;
                /** @description Only rows before this time (default: now) */
                to?: string;
                /** @description Only this cluster */
                clusterId?: string;
                /** @description csv: CSV whatever Accept says; json: JSON */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows (`X-Twinrec-Truncated`: whether more matched) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackfillJobsReport"];
                    "text/csv": string;
                };
            };
            /** @description A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuditReport: {
        parameters: {
            query?: {
                /** @description Only rows at or after this time (default: 30 days before `to`) */
                from?: string;
                /** @description Only rows before this time (default: now) */
                to?: string;
                /** @description csv: CSV whatever Accept says; json: JSON */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows (`X-Twinrec-Truncated`: whether more matched) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditReport"];
                    "text/csv": string;
                };
            };
            /** @description A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSupportSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The zip (`Content-Disposition: attachment`; `X-Twinrec-Snapshot-Files`: how many files it holds) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description The request does not match the schema (`validation-failed`, `malformed-json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than http.bodyLimitBytes (`body-too-large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not JSON (`unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable; nothing was changed (`database-unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadTlsCertificate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificate, PEM (`Content-Disposition: attachment`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
                };
            };
            /** @description The controller serves plain HTTP: there is no certificate (`not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal-error`) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, unknown>;
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
}
