// The dead webhook receivers of `npm run bench -- failover --webhook-down` (issue 18: with the
// receiver down, deliveries retry and are dropped while failover timing is unchanged), the
// webhook an admin would create for them over REST, and the controller's delivery counters.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HaLab } from '../test/helpers/ha-lab.js';

/** How a receiver is down: nothing listens on its port, or it accepts and never answers. */
export const receiverDownKinds = ['refused', 'hanging'] as const;
export type ReceiverDownKind = (typeof receiverDownKinds)[number];

export interface DeadReceiver {
  readonly kind: ReceiverDownKind;
  readonly url: string;
  /** Connections accepted (hanging only; 0 for refused). */
  accepted(): number;
  close(): Promise<void>;
}

/** Connections a hanging receiver holds open at once; beyond that it destroys the oldest (the controller has 4 in flight). */
const hangingSocketsMax = 64;

function listenLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A loopback port nothing listens on: bound, then closed, so a connection is refused at once. */
async function refusedReceiver(): Promise<DeadReceiver> {
  const server = createServer();
  const port = await listenLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { kind: 'refused', url: `http://127.0.0.1:${port}/hook`, accepted: () => 0, close: () => Promise.resolve() };
}

/** A receiver that accepts the connection, reads the request and never answers: each attempt lasts the controller's whole timeout. */
async function hangingReceiver(): Promise<DeadReceiver> {
  const sockets: Socket[] = [];
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const at = sockets.indexOf(socket);
      if (at >= 0) sockets.splice(at, 1);
    });
    socket.resume(); // read and discard the request
    sockets.push(socket);
    if (sockets.length > hangingSocketsMax) sockets[0]?.destroy();
  });
  const port = await listenLoopback(server);
  return {
    kind: 'hanging',
    url: `http://127.0.0.1:${port}/hook`,
    accepted: () => accepted,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of [...sockets]) socket.destroy();
      await closed;
    },
  };
}

export function deadReceiver(kind: ReceiverDownKind): Promise<DeadReceiver> {
  return kind === 'refused' ? refusedReceiver() : hangingReceiver();
}

async function controllerJson(ha: HaLab, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  if (ha.controller === null) throw new Error('the webhook-down bench needs the lab with its controller');
  const res = await ha.controllerFetch(path, { method, headers: { ...ha.controller.authHeader, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const answer = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Creates, as an admin does, a webhook for every event kind and severity of every cluster; returns its id. */
export async function createWebhook(ha: HaLab, name: string, url: string): Promise<string> {
  const created = await controllerJson(ha, 'POST', '/api/v1/webhooks', { name, url, eventKinds: ['*'], severityMin: 'info' });
  if (typeof created.id !== 'string') throw new Error(`POST /api/v1/webhooks: no id in ${JSON.stringify(created)}`);
  return created.id;
}

/** Points the webhook somewhere else; deliveries waiting for a retry go there too. */
export async function setWebhookUrl(ha: HaLab, id: string, url: string): Promise<void> {
  await controllerJson(ha, 'PATCH', `/api/v1/webhooks/${id}`, { url });
}

/** Deletes the webhook: what waits for it is forgotten, never sent. */
export async function deleteWebhook(ha: HaLab, id: string): Promise<void> {
  if (ha.controller === null) throw new Error('the webhook-down bench needs the lab with its controller');
  const res = await ha.controllerFetch(`/api/v1/webhooks/${id}`, { method: 'DELETE', headers: ha.controller.authHeader, signal: AbortSignal.timeout(10_000) });
  if (res.status >= 300) throw new Error(`DELETE /api/v1/webhooks/${id}: HTTP ${res.status} ${await res.text()}`);
}

/** The controller's webhook delivery counters (twinrec_webhook_*). */
export interface WebhookCounters {
  readonly delivered: number;
  readonly failed: number;
  readonly dropped: number;
  readonly queueDepth: number;
}

function sample(metrics: string, name: string): number {
  const escaped = name.replace(/[{}"=]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} ([0-9.e+-]+)$`, 'm').exec(metrics);
  // prom-client leaves out a labelled counter until it is first incremented.
  return match === null ? 0 : Number(match[1]);
}

/** Reads the webhook counters out of a Prometheus text exposition. Pure. */
export function webhookCountersOf(metrics: string): WebhookCounters {
  if (!/^# TYPE twinrec_webhook_queue_depth gauge$/m.test(metrics)) throw new Error('the metrics have no twinrec_webhook_queue_depth: is this a controller with webhooks?');
  return {
    delivered: sample(metrics, 'twinrec_webhook_deliveries_total{outcome="delivered"}'),
    failed: sample(metrics, 'twinrec_webhook_deliveries_total{outcome="failed"}'),
    dropped: sample(metrics, 'twinrec_webhook_deliveries_total{outcome="dropped"}'),
    queueDepth: sample(metrics, 'twinrec_webhook_queue_depth'),
  };
}

export async function webhookCounters(ha: HaLab): Promise<WebhookCounters> {
  const res = await ha.controllerFetch('/metrics', { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}`);
  return webhookCountersOf(await res.text());
}

/** `webhook delivery dropped` warnings in the controller's output so far. */
export function droppedWarnings(ha: HaLab): number {
  const proc = ha.controller?.process;
  const out = proc === undefined ? '' : `${proc.stdout()}\n${proc.stderr()}`;
  return out.split('\n').filter((line) => line.includes('"webhook delivery dropped"')).length;
}
