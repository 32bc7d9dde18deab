// Version 1 of the agent-to-agent protocol: the heartbeat each agent sends its peer over UDP.
// It carries everything the peer's decision core needs; the transport adds its boot id, seq and
// echo, which prove freshness and measure the round trip.
import { z } from 'zod';

export const nodeStates = ['STOP', 'WAIT', 'ALONE', 'PRIM', 'SECOND'] as const;
/** SafeKit's node states, as Milestone administrators know them. PRIM and ALONE are Serving. */
export type NodeState = (typeof nodeStates)[number];

export const heartbeatSchema = z
  .object({
    v: z.literal(1),
    kind: z.literal('heartbeat'),
    clusterId: z.string().min(1).max(64),
    from: z.string().min(1).max(64),
    /** The sender transport's random id for this run (128 bits, hex): seqs count from 0 per boot. */
    boot: z.string().regex(/^[0-9a-f]{32}$/),
    /** Sender's sequence number, strictly increasing within its boot: a datagram counts once. */
    seq: z.number().int().min(0),
    /** The boot of the last heartbeat the sender received from us (null before any): with echoSeq, proof that this one is fresh. */
    echoBoot: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
    /** The last seq the sender received from us, and how long it held it, for RTT and freshness. */
    echoSeq: z.number().int().min(-1),
    echoHeldMs: z.number().min(0).max(600_000),
    state: z.enum(nodeStates),
    /** Highest epoch the sender knows; its serving epoch when it serves. */
    epoch: z.number().int().min(0),
    serving: z.boolean(),
    healthy: z.boolean(),
    /** Set while the sender hands the Serving role over to this node id. */
    handoverTo: z.string().max(64).nullable(),
    maintenance: z.object({ on: z.boolean(), version: z.number().int().min(0) }).strict(),
    /** The preferred (failback) node; a swap changes it, the higher version wins. */
    preference: z.object({ nodeId: z.string().max(64).nullable(), version: z.number().int().min(0) }).strict(),
    /**
     * The cluster policy the sender runs (0: its agent.yaml bootstrap default) and its timing,
     * so that while the two differ each node can use the more conservative timing of both.
     * Older agents omit it.
     */
    policy: z
      .object({
        version: z.number().int().min(0),
        heartbeatIntervalMs: z.number().int().min(1).max(600_000),
        peerTimeoutMs: z.number().int().min(1).max(600_000),
        failbackHoldDownMs: z.number().int().min(0).max(86_400_000),
      })
      .strict()
      .optional(),
    /**
     * False while the sender lacks recordings its peer holds within its retention (backfill not
     * done): an automatic failback to it waits. Agents from before backfill omit it.
     */
    dataComplete: z.boolean().optional(),
    /**
     * The SHA-256 fingerprint (`AB:CD:…`) of the sender's agent API certificate, which the
     * receiver pins for config sync and backfill; null while the sender's API is plain HTTP
     * (loopback). The HMAC makes it as trustworthy as the cluster secret. Added by the transport;
     * older agents omit it.
     */
    apiFingerprint: z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/).nullable().optional(),
  })
  .strict();

export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** The fields the transport adds (freshness, RTT, the API's certificate); the decision core neither writes nor reads them. */
export type HeartbeatTransportField = 'boot' | 'seq' | 'echoBoot' | 'echoSeq' | 'echoHeldMs' | 'apiFingerprint';
/** A heartbeat as the decision core emits and reads it. */
export type HeartbeatBody = Omit<Heartbeat, HeartbeatTransportField>;

/** Largest heartbeat datagram accepted; real ones are about 300 bytes. */
export const heartbeatMaxBytes = 2048;
