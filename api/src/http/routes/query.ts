// Query parameters after OpenAPI validation: express 5 parses them anew on every read, as
// strings, so handlers read them through here.
import type { Request } from 'express';

/** The parameter's text, or undefined when absent or empty. */
export function queryText(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
