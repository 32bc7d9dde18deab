import { EMPTY_GUID, normalizeGuid } from '../../shared/guid.js';
import type { TokenVerdict } from '../token-check.js';

/**
 * Helpers shared by the SOAP services: argument normalisation and faults shaped like the
 * recorder's (a soap:Server fault whose detail carries ErrorNumber and SubErrorNumber).
 */
export interface SoapFault {
  readonly Fault: { faultcode: string; faultstring: string; detail: { ErrorNumber: number; SubErrorNumber: number }; statusCode: number };
}

export function soapFault(message: string, subErrorNumber: number): SoapFault {
  return { Fault: { faultcode: 'soap:Server', faultstring: message, detail: { ErrorNumber: 40000, SubErrorNumber: subErrorNumber }, statusCode: 500 } };
}

/** The same fault in SOAP 1.2's shape (Code/Reason/Detail), for the `…Soap12` port. */
export interface Soap12Fault {
  readonly Fault: { Code: { Value: string }; Reason: { Text: string }; Detail: { ErrorNumber: number; SubErrorNumber: number }; statusCode: number };
}

function isSoap11Fault(err: unknown): err is SoapFault {
  const fault = (err as { Fault?: { faultcode?: unknown } } | null)?.Fault;
  return typeof fault === 'object' && fault !== null && typeof fault.faultcode === 'string';
}

/** soap:Server (1.1) is soap:Receiver in SOAP 1.2 (W3C SOAP 1.2 part 1, 5.4.6). */
export function toSoap12Fault(fault: SoapFault): Soap12Fault {
  const f = fault.Fault;
  return { Fault: { Code: { Value: f.faultcode === 'soap:Client' ? 'soap:Sender' : 'soap:Receiver' }, Reason: { Text: f.faultstring }, Detail: f.detail, statusCode: f.statusCode } };
}

type ServiceMethod = (args: Record<string, unknown>) => unknown;

/** The service's methods with their faults written for SOAP 1.2 (the methods throw SOAP 1.1 faults). */
export function withSoap12Faults(methods: Record<string, ServiceMethod>): Record<string, ServiceMethod> {
  const rethrow = (err: unknown): never => {
    throw isSoap11Fault(err) ? toSoap12Fault(err) : err;
  };
  return Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      (args: Record<string, unknown>): unknown => {
        try {
          const result = method(args);
          return result instanceof Promise ? result.catch(rethrow) : result;
        } catch (err) {
          return rethrow(err);
        }
      },
    ]),
  );
}

/** Throws the fault a recorder answers for a missing (sub-error 1) or invalid (2) token. */
export function requireToken(verdict: TokenVerdict): void {
  if (verdict.ok) return;
  if (verdict.reason === 'missing') throw soapFault('No token supplied', 1);
  throw soapFault(verdict.reason === 'not-loaded' ? 'Token invalid (recorder has no configuration yet)' : 'Token invalid', 2);
}

export const MAX_IDS_PER_CALL = 4096;

/** Reads an ArrayOfGuid argument as node-soap parses it ({ guid: string | string[] }), or a single id. */
export function guidList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return [normalizeGuid(value)];
  const inner = (value as { guid?: unknown }).guid;
  const items = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
  if (items.length > MAX_IDS_PER_CALL) throw soapFault(`at most ${MAX_IDS_PER_CALL} ids per call`, 3);
  try {
    return items.map((item) => normalizeGuid(String(item)));
  } catch (err) {
    throw soapFault((err as Error).message, 3);
  }
}

export function guidArg(value: unknown, name: string): string {
  try {
    return normalizeGuid(String(value ?? ''));
  } catch {
    throw soapFault(`${name} is not a GUID`, 3);
  }
}

export function timeArg(value: unknown, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value ?? ''));
  if (!Number.isFinite(ms)) throw soapFault(`${name} is not a dateTime`, 3);
  return ms;
}

export function intArg(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export { EMPTY_GUID };
