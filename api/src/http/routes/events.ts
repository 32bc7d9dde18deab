// /api/v1/events (history, newest first, by cursor) and /api/v1/events/stream (Server-Sent
// Events). Parameters were validated against the OpenAPI document.
import { Router, type Request } from 'express';
import { validationFailed } from '../../domain/errors.js';
import { kindFilterOf, parseCursor, type EventCursor, type EventFilter, type EventService } from '../../domain/events.js';
import type { EventSeverity } from '../../model/vocabulary.js';
import { credentialRecheckOf, requireIdentity } from '../auth.js';
import type { EventStreams, StreamStart } from '../event-streams.js';
import { queryText } from './query.js';

export function eventRoutes(events: EventService, streams: EventStreams): Router {
  const router = Router();

  router.get('/events', async (req, res) => {
    const before = queryText(req, 'before');
    res.json(await events.list({ ...filterOf(req), since: dateOf(req, 'since'), until: dateOf(req, 'until') }, { limit: Number(queryText(req, 'limit') ?? 100), before: before === undefined ? undefined : cursorOf(before, '/query/before') }));
  });

  router.get('/events/stream', async (req, res) => {
    // `since` says where a stream without Last-Event-ID starts; live events are not held to it.
    const lastEventId = req.get('last-event-id');
    const since = dateOf(req, 'since');
    const start: StreamStart = lastEventId !== undefined && lastEventId !== '' ? { after: cursorOf(lastEventId, '/headers/last-event-id') } : since !== undefined ? { since } : null;
    // A stream outlives the request's own check: it ends when its session or token does. It
    // counts against the account, whichever of its sessions or tokens opened it.
    await streams.serve(res, filterOf(req), start, { accountId: requireIdentity(req).accountId, credential: credentialRecheckOf(req, 'viewer') });
  });

  return router;
}

function filterOf(req: Request): EventFilter {
  return {
    clusterId: queryText(req, 'clusterId'),
    nodeId: queryText(req, 'nodeId'),
    kind: kindFilterOf(queryText(req, 'kind')),
    severityMin: queryText(req, 'severity') as EventSeverity | undefined,
  };
}

function dateOf(req: Request, name: string): Date | undefined {
  const text = queryText(req, name);
  return text === undefined ? undefined : new Date(text);
}

function cursorOf(text: string, path: string): EventCursor {
  const cursor = parseCursor(text);
  if (cursor === null) throw validationFailed([{ path, message: 'must be an event cursor: <ISO time with milliseconds>_<event id>' }]);
  return cursor;
}
