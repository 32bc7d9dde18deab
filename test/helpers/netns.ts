// A two-host network for partition tests, made of network namespaces and veth pairs this test
// process creates itself (root only; iproute2). Each node's agent runs in its own namespace;
// the rest of the lab (recorders, cameras, management, relay, controller) stays in the root
// namespace, bound to one address on a veth made here. Nothing else is addressed or changed:
// no sysctl, no route in the root namespace beyond the veths' own, no forwarding between them.
//
//   root namespace                          namespace <prefix>a          namespace <prefix>b
//   services .1/32 on <p>s0 (peer <p>s1)
//   <p>as .5/30  ── service veth ──────────  svc .6/30 (route .1 via .5)
//   <p>bs .9/30  ── service veth ─────────────────────────────────────  svc .10/30 (route .1 via .9)
//   <p>ao .13/30 ── observer veth ─────────  obs .14/30
//   <p>bo .17/30 ── observer veth ────────────────────────────────────  obs .18/30
//                                            hb .21/30 ── link veth ──  hb .22/30
//
// - service veth: the node reaches the services (recorder, relay, witness); it carries only a /32
//   route to the services' address, so the node reaches nothing else through it;
// - link veth: the two nodes' heartbeats and their peer API calls; the root namespace forwards
//   nothing (ip_forward stays as it is, 0 by default), so this is their only path to each other;
// - observer veth: the test reads the agent's API here; the namespace has no route through it
//   beyond its /30, so the agent cannot reach the services (or its peer) over it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stopOnSignal } from './process.js';

export type NodeSide = 'a' | 'b';

export interface NodeNetwork {
  /** The namespace the node's agent runs in. */
  readonly netns: string;
  /** Where the test (and the lab) reach the agent's API: its observer veth. */
  readonly apiHost: string;
  /** The agent's address on the link veth: its heartbeats, and its API for the peer. */
  readonly heartbeatHost: string;
}

export interface PartitionNetwork {
  /** The address the lab's services and the controller listen on (root namespace). */
  readonly servicesHost: string;
  readonly nodes: Readonly<Record<NodeSide, NodeNetwork>>;
  /** `lab up` arguments that put recorder-1a's agent on side a and recorder-1b's on side b. */
  labArgs(): string[];
  /** The link veth down (both ends) or up again: the nodes lose, or get back, each other only. */
  setLink(up: boolean): Promise<void>;
  /** A node's service and link veths down, or up again (its service route back): the node reaches nothing. */
  setIsolated(side: NodeSide, isolated: boolean): Promise<void>;
  /** Removes the namespaces and veths (idempotent; also run on SIGINT/SIGTERM). */
  remove(): Promise<void>;
}

const ipCommand = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path)) ?? 'ip';

/** Runs `ip <args>`; rejects with its stderr. */
function ip(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ipCommand, args, { timeout: 15_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Why this process cannot make the network (not root, no iproute2, no namespaces), or null when it can. */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  try {
    await ip(['netns', 'list']);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** 10.213.0.0/16 cut into 2048 blocks of 32 addresses; a run takes the first free one from its pid. */
const blocksMax = 2048;
const blockTriesMax = 64;

function blockBase(block: number): string {
  return `10.213.${block >> 3}.${(block & 7) << 5}`;
}

function addressIn(base: string, offset: number): string {
  const parts = base.split('.').map(Number);
  return `${parts[0]}.${parts[1]}.${parts[2]}.${(parts[3] ?? 0) + offset}`;
}

/** A block none of whose addresses is on any interface of the root namespace (another run's). */
async function freeBlock(): Promise<string> {
  const used = await ip(['-o', '-4', 'addr', 'show']);
  for (let i = 0; i < blockTriesMax; i += 1) {
    const base = blockBase((process.pid + i) % blocksMax);
    const prefix = base.slice(0, base.lastIndexOf('.') + 1);
    const low = Number(base.slice(base.lastIndexOf('.') + 1));
    const taken = [...used.matchAll(/inet (\d+\.\d+\.\d+\.)(\d+)\//g)].some((m) => m[1] === prefix && Number(m[2]) >= low && Number(m[2]) < low + 32);
    if (!taken) return base;
  }
  throw new Error(`no free block of 10.213.0.0/16 among ${blockTriesMax} tried`);
}

/**
 * Makes the network above, with names unique to this process (`tw<pid>…`; interface names fit
 * Linux's 15 characters). Fails, removing what it made, if any step fails.
 */
export async function createPartitionNetwork(): Promise<PartitionNetwork> {
  const prefix = `tw${process.pid}`;
  const base = await freeBlock();
  const at = (offset: number): string => addressIn(base, offset);
  const servicesHost = at(1);
  const sides: Record<NodeSide, { netns: string; serviceRoot: string; observerRoot: string; serviceRootIp: string; serviceIp: string; observerRootIp: string; observerIp: string; linkIp: string }> = {
    a: { netns: `${prefix}a`, serviceRoot: `${prefix}as`, observerRoot: `${prefix}ao`, serviceRootIp: at(5), serviceIp: at(6), observerRootIp: at(13), observerIp: at(14), linkIp: at(21) },
    b: { netns: `${prefix}b`, serviceRoot: `${prefix}bs`, observerRoot: `${prefix}bo`, serviceRootIp: at(9), serviceIp: at(10), observerRootIp: at(17), observerIp: at(18), linkIp: at(22) },
  };
  const servicesLink = `${prefix}s0`;
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    forget();
    // Deleting one end of a veth deletes both; deleting a namespace removes what is inside it.
    const quietly = (args: string[]): Promise<unknown> => ip(args).catch(() => undefined);
    for (const side of Object.values(sides)) {
      await quietly(['link', 'del', side.serviceRoot]);
      await quietly(['link', 'del', side.observerRoot]);
    }
    await quietly(['link', 'del', servicesLink]);
    for (const side of Object.values(sides)) await quietly(['netns', 'del', side.netns]);
  };
  const forget = stopOnSignal(remove);
  const serviceRoute = (side: NodeSide): string[] => ['-n', sides[side].netns, 'route', 'replace', `${servicesHost}/32`, 'via', sides[side].serviceRootIp, 'dev', 'svc'];
  try {
    await ip(['link', 'add', servicesLink, 'type', 'veth', 'peer', 'name', `${prefix}s1`]);
    await ip(['addr', 'add', `${servicesHost}/32`, 'dev', servicesLink]);
    await ip(['link', 'set', servicesLink, 'up']);
    await ip(['link', 'set', `${prefix}s1`, 'up']);
    for (const side of ['a', 'b'] as const) {
      const s = sides[side];
      await ip(['netns', 'add', s.netns]);
      await ip(['-n', s.netns, 'link', 'set', 'lo', 'up']);
      for (const [root, inside, rootIp, insideIp] of [
        [s.serviceRoot, 'svc', s.serviceRootIp, s.serviceIp],
        [s.observerRoot, 'obs', s.observerRootIp, s.observerIp],
      ] as const) {
        await ip(['link', 'add', root, 'type', 'veth', 'peer', 'name', inside, 'netns', s.netns]);
        await ip(['addr', 'add', `${rootIp}/30`, 'dev', root]);
        await ip(['link', 'set', root, 'up']);
        await ip(['-n', s.netns, 'addr', 'add', `${insideIp}/30`, 'dev', inside]);
        await ip(['-n', s.netns, 'link', 'set', inside, 'up']);
      }
      await ip(serviceRoute(side));
    }
    await ip(['-n', sides.a.netns, 'link', 'add', 'hb', 'type', 'veth', 'peer', 'name', 'hb', 'netns', sides.b.netns]);
    for (const side of ['a', 'b'] as const) {
      await ip(['-n', sides[side].netns, 'addr', 'add', `${sides[side].linkIp}/30`, 'dev', 'hb']);
      await ip(['-n', sides[side].netns, 'link', 'set', 'hb', 'up']);
    }
  } catch (err) {
    await remove();
    throw err;
  }
  const nodes: Record<NodeSide, NodeNetwork> = {
    a: { netns: sides.a.netns, apiHost: sides.a.observerIp, heartbeatHost: sides.a.linkIp },
    b: { netns: sides.b.netns, apiHost: sides.b.observerIp, heartbeatHost: sides.b.linkIp },
  };
  const setLinkOf = (side: NodeSide, up: boolean): Promise<string> => ip(['-n', sides[side].netns, 'link', 'set', 'hb', up ? 'up' : 'down']);
  return {
    servicesHost,
    nodes,
    labArgs: () =>
      (['a', 'b'] as const).flatMap((side) => {
        const recorder = `recorder-1${side}`;
        return ['--agent-netns', `${recorder}=${nodes[side].netns}`, '--agent-host', `${recorder}=${nodes[side].apiHost}`, '--agent-heartbeat-host', `${recorder}=${nodes[side].heartbeatHost}`];
      }),
    setLink: async (up) => {
      await Promise.all([setLinkOf('a', up), setLinkOf('b', up)]);
    },
    setIsolated: async (side, isolated) => {
      const state = isolated ? 'down' : 'up';
      await ip(['-n', sides[side].netns, 'link', 'set', 'svc', state]);
      await setLinkOf(side, !isolated);
      // A route through a veth that went down is gone: put it back.
      if (!isolated) await ip(serviceRoute(side));
    },
    remove,
  };
}
