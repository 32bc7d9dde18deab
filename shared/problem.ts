// RFC 9457 problem details: the one error shape of every twinrec HTTP API (the controller's
// REST API, the agent's local API, the relay's control API, the lab's fault API).
import type { ServerResponse } from 'node:http';

/** A problem document. `type` is `urn:twinrec:problem:<slug>` (or `about:blank`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** The stable URI of a problem slug: clients branch on it, so it never changes once released. */
export function problemTypeUri(slug: string): string {
  return `urn:twinrec:problem:${slug}`;
}

/**
 * A problem document for `slug`; extension members never override the standard ones.
 *
 * @example problemOf(409, 'epoch-fenced', 'A higher epoch holds the endpoint', 'epoch 3 is not above 4', { currentEpoch: 4 })
 */
export function problemOf(status: number, slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return { ...extensions, type: problemTypeUri(slug), title, status, detail };
}

/**
 * Writes `problem` as the whole answer, `application/problem+json`, with its status. Works on a
 * bare node:http response and on express's (which extends it), so every server shares it.
 */
export function writeProblem(res: ServerResponse, problem: Problem, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(problem);
  res.writeHead(problem.status, { ...headers, 'content-type': 'application/problem+json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** One schema issue: where (a JSON pointer or dotted path) and what is wrong. */
export interface SchemaIssue {
  path: string;
  message: string;
}

/** 400 `validation-failed`, listing every issue in `errors` and in the detail. */
export function validationProblem(issues: readonly SchemaIssue[]): Problem {
  return problemOf(400, 'validation-failed', 'The request does not match the schema', issues.map((e) => `${e.path} ${e.message}`.trim()).join('; '), { errors: issues });
}

/** 400 `validation-failed` from zod's issues, their paths as JSON pointers (`/node/name`). */
export function zodValidationProblem(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Problem {
  return validationProblem(issues.map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message })));
}

/**
 * The problem for an error of express's body parser: 413 `body-too-large` or 400
 * `malformed-json`; null for any other error (the caller's to answer).
 */
export function bodyParserProblem(err: { type?: unknown; limit?: unknown }): Problem | null {
  if (err.type === 'entity.too.large') {
    const limit = typeof err.limit === 'number' ? `${err.limit} bytes` : 'the limit';
    return problemOf(413, 'body-too-large', 'The request body is too large', `The request body exceeds ${limit}`);
  }
  if (err.type === 'entity.parse.failed') return problemOf(400, 'malformed-json', 'The request body is not valid JSON', 'The request body is not valid JSON');
  return null;
}
