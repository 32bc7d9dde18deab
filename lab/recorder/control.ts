import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { readJson, sendJson, sendProblem } from '../shared/http.js';
import type { Logger } from '../shared/log.js';
import type { Recorder } from './recorder.js';

export const storageFaultSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('online') }),
  z.object({ mode: z.literal('offline') }),
  z.object({ mode: z.literal('full') }),
  z.object({ mode: z.literal('slow'), throughputBytesPerSecond: z.number().int().min(1).max(10_000_000_000).default(8 * 1024) }),
]);

/**
 * The recorder's lab-only control endpoint (loopback): state for diagnostics and the storage
 * faults, which only the process itself can simulate. Not part of what XProtect offers.
 */
export async function startControlServer(recorder: Recorder, port: number, log: Logger): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.url === '/lab/state' && req.method === 'GET') {
          sendJson(res, 200, recorder.snapshot());
          return;
        }
        if (req.url === '/lab/storage' && req.method === 'POST') {
          const parsed = storageFaultSchema.safeParse(await readJson(req));
          if (!parsed.success) {
            sendProblem(res, 400, 'Bad storage fault', parsed.error.message);
            return;
          }
          await recorder.setStorageFault(parsed.data);
          sendJson(res, 200, { storage: parsed.data });
          return;
        }
        sendProblem(res, 404, 'Not found');
      } catch (err) {
        log.warn({ err }, 'control request failed');
        if (!res.headersSent) sendProblem(res, 500, 'Internal error', (err as Error).message);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
