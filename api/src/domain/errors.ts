// Domain failures, each with a stable problem type. The HTTP layer turns them into
// RFC 9457 problem+json; the CLI prints their detail.
import { problemTypes, type ProblemType } from '../model/problem-types.js';

export class DomainError extends Error {
  constructor(
    readonly type: ProblemType,
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('not-found', 404, 'Not found', `${what} ${id} does not exist`, { resource: what, id });

export const conflict = (type: ProblemType, detail: string, extensions: Record<string, unknown> = {}): DomainError =>
  new DomainError(type, problemTypes[type].status, problemTypes[type].title, detail, extensions);

export const preconditionFailed = (expected: string, actual: string): DomainError =>
  new DomainError('precondition-failed', 412, 'Precondition failed', `If-Match ${expected} does not match the current ETag ${actual}`, { etag: actual });

/** Any problem type, with its registered status and title. */
export const problem = (type: ProblemType, detail: string, extensions: Record<string, unknown> = {}): DomainError =>
  new DomainError(type, problemTypes[type].status, problemTypes[type].title, detail, extensions);

export const unauthorized = (detail: string): DomainError => new DomainError('unauthorized', 401, problemTypes.unauthorized.title, detail);

/** 400 with one `{ path, message }` per problem, like the OpenAPI validator's. */
export const validationFailed = (errors: readonly { path: string; message: string }[]): DomainError =>
  new DomainError('validation-failed', 400, problemTypes['validation-failed'].title, errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors });
