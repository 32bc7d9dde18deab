// /api/v1/audit: the audit log, newest first, a page at a time. Parameters were validated
// against the OpenAPI document.
import { Router, type Request } from 'express';
import { textFilterOf, type AuditLog } from '../../domain/audit-log.js';
import { parseCursor } from '../../domain/cursor.js';
import { validationFailed } from '../../domain/errors.js';
import type { AuditOutcome } from '../../model/vocabulary.js';
import { queryText } from './query.js';

export function auditRoutes(audit: AuditLog): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    const before = queryText(req, 'before');
    const cursor = before === undefined ? undefined : parseCursor(before);
    if (cursor === null) throw validationFailed([{ path: '/query/before', message: 'must be an audit cursor: <ISO time with milliseconds>_<entry id>' }]);
    const filter = {
      actor: queryText(req, 'actor'),
      action: textFilterOf(queryText(req, 'action')),
      target: textFilterOf(queryText(req, 'target')),
      outcome: queryText(req, 'outcome') as AuditOutcome | undefined,
      since: dateOf(req, 'since'),
      until: dateOf(req, 'until'),
    };
    res.json(await audit.list(filter, { limit: Number(queryText(req, 'limit') ?? 100), before: cursor }));
  });

  return router;
}

function dateOf(req: Request, name: string): Date | undefined {
  const text = queryText(req, name);
  return text === undefined ? undefined : new Date(text);
}
