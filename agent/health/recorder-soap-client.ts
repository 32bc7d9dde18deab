// A node-soap client of one of the recording server's .asmx services (RecorderStatusService2,
// RecorderCommandService), built from the WSDL the recorder itself serves at `?wsdl`, as an
// integrator's generated proxy is: the operations, their SOAP actions and the schema (element
// order, namespaces, types) come from the recorder, so a contract Milestone changes is followed.
//
// ASP.NET publishes two ports per .asmx service, `<Service>Soap` (SOAP 1.1) and
// `<Service>Soap12` (SOAP 1.2); Java classes generated from a real RecorderStatusService2 WSDL
// show both (xprotect-integration.md 0a). The client speaks the one asked for.
//
// Every request goes through fetchTrusting (shared/tls/server-trust.ts): the recorder's pinned
// certificate, CA or the system's CAs, keep-alive connections, no redirects, bounded answers.
// Requests always go to the configured service URL, never to the WSDL's `address location`:
// a WSDL must not be able to send the token anywhere else.
import * as soap from 'soap';
import { Parser } from 'xml2js';
import { fetchTrusting, type ServerTrust } from '../../shared/tls/server-trust.js';
import { abortable, readBoundedOrFail, RequestFailure } from '../shared/request-failure.js';

export type SoapVersion = '1.1' | '1.2';

/** The SOAP versions a client can speak; SOAP 1.1 is what .NET proxies send by default. */
export const soapVersions: readonly SoapVersion[] = ['1.1', '1.2'];

const wsdlSoap11Namespace = 'http://schemas.xmlsoap.org/wsdl/soap/';
const wsdlSoap12Namespace = 'http://schemas.xmlsoap.org/wsdl/soap12/';
const wsdlNamespace = 'http://schemas.xmlsoap.org/wsdl/';
/** A recorder's WSDL is some 20 kB; anything near this is not one. */
export const wsdlBytesMax = 4 * 1024 * 1024;
const portsMax = 64;

/** The WSDL (or its ports) is not what the client needs. */
export class WsdlError extends Error {
  override readonly name = 'WsdlError';
}

/** The answer is not a SOAP answer to the operation. */
export class UnparseableAnswerError extends Error {
  override readonly name = 'UnparseableAnswerError';
}

// ---------------------------------------------------------------------------------------------
// Pure: the WSDL's ports, the port to use, a fault's fields.

/** One `wsdl:port` of a `wsdl:service`, with the SOAP version its address element says. */
export interface WsdlPort {
  readonly service: string;
  readonly port: string;
  /** The binding's local name (`tns:` left out). */
  readonly binding: string;
  /** From the address element's namespace: wsdl/soap/ is 1.1, wsdl/soap12/ is 1.2; null: neither (an HTTP GET/POST port). */
  readonly soapVersion: SoapVersion | null;
  readonly location: string | null;
}

interface NsElement {
  readonly $?: Record<string, { readonly value?: string; readonly local?: string }>;
  readonly $ns?: { readonly local?: string; readonly uri?: string };
  readonly [child: string]: unknown;
}

function elementsOf(node: NsElement, uri: string, local: string): NsElement[] {
  const found: NsElement[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$' || key === '$ns' || key === '_' || !Array.isArray(value)) continue;
    for (const item of value) {
      const element = item as NsElement;
      if (typeof item === 'object' && item !== null && element.$ns?.uri === uri && element.$ns.local === local) found.push(element);
    }
  }
  return found;
}

function attribute(node: NsElement, name: string): string | null {
  const value = Object.values(node.$ ?? {}).find((a) => a.local === name)?.value;
  return typeof value === 'string' ? value : null;
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/**
 * The ports of every service in a WSDL document.
 *
 * @throws WsdlError when the text is not a WSDL 1.1 document.
 * @example
 *   readWsdlPorts(xml) // [{ service: 'RecorderStatusService2', port: 'RecorderStatusService2Soap', binding: 'RecorderStatusService2Soap', soapVersion: '1.1', location: 'http://rs:7563/…' }, { …Soap12, soapVersion: '1.2' }]
 */
export function readWsdlPorts(xml: string): WsdlPort[] {
  let document: Record<string, unknown> = {};
  let failure: Error | null = null;
  // xml2js in strict mode with namespaces resolved: prefixes vary between WSDL writers.
  const parser = new Parser({ strict: true, async: false, xmlns: true, explicitArray: true, explicitRoot: true, trim: true });
  parser.on('end', (result: Record<string, unknown> | null) => {
    document = result ?? {};
  });
  parser.on('error', (err: Error) => {
    failure ??= err;
  });
  parser.parseString(xml);
  if (failure !== null) throw new WsdlError(`not XML (${(failure as Error).message.split('\n')[0]?.slice(0, 80) ?? ''})`);
  const root = Object.values(document)[0] as NsElement | undefined;
  if (root === undefined || root.$ns?.uri !== wsdlNamespace || root.$ns.local !== 'definitions') throw new WsdlError('not a WSDL document (no wsdl:definitions)');
  const ports: WsdlPort[] = [];
  for (const service of elementsOf(root, wsdlNamespace, 'service')) {
    for (const port of elementsOf(service, wsdlNamespace, 'port')) {
      if (ports.length >= portsMax) throw new WsdlError(`more than ${portsMax} ports`);
      const soap11 = elementsOf(port, wsdlSoap11Namespace, 'address')[0];
      const soap12 = elementsOf(port, wsdlSoap12Namespace, 'address')[0];
      const address = soap11 ?? soap12;
      ports.push({
        service: attribute(service, 'name') ?? '',
        port: attribute(port, 'name') ?? '',
        binding: localName(attribute(port, 'binding') ?? ''),
        soapVersion: soap11 !== undefined ? '1.1' : soap12 !== undefined ? '1.2' : null,
        location: address === undefined ? null : attribute(address, 'location'),
      });
    }
  }
  return ports;
}

/**
 * The port of `service` that speaks `soapVersion`.
 *
 * @throws WsdlError naming the ports there are when none fits.
 * @example
 *   chooseWsdlPort(readWsdlPorts(xml), 'RecorderStatusService2', '1.2').port // 'RecorderStatusService2Soap12'
 */
export function chooseWsdlPort(ports: readonly WsdlPort[], service: string, soapVersion: SoapVersion): WsdlPort {
  const ofService = ports.filter((p) => p.service === service);
  const port = ofService.find((p) => p.soapVersion === soapVersion && p.port !== '');
  if (port !== undefined) return port;
  if (ofService.length === 0) throw new WsdlError(`the WSDL has no service ${service}`);
  const has = ofService.map((p) => `${p.port} (${p.soapVersion === null ? 'not SOAP' : `SOAP ${p.soapVersion}`})`).join(', ');
  throw new WsdlError(`the WSDL's ${service} has no SOAP ${soapVersion} port (it has ${has})`);
}

/** A SOAP fault as the recorder writes it (soap:Server, detail ErrorNumber/SubErrorNumber). */
export interface SoapFaultInfo {
  readonly message: string;
  readonly errorNumber: number | null;
  readonly subErrorNumber: number | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // node-soap keeps an element with attributes (xml:lang) as { $value }.
  if (isRecord(value) && '$value' in value) return textOf(value.$value);
  return null;
}

function integerOf(value: unknown): number | null {
  const t = textOf(value)?.trim() ?? '';
  const n = Number(t);
  return t !== '' && Number.isInteger(n) ? n : null;
}

/**
 * The fault in a parsed envelope (node-soap's `err.root`): SOAP 1.1 (faultstring, detail) or
 * 1.2 (Reason/Text, Detail); null when it holds none.
 *
 * @example
 *   readSoapFault({ Envelope: { Body: { Fault: { faultstring: 'Token invalid', detail: { ErrorNumber: '40000', SubErrorNumber: '2' } } } } })
 *   // { message: 'Token invalid', errorNumber: 40000, subErrorNumber: 2 }
 */
export function readSoapFault(root: unknown): SoapFaultInfo | null {
  const envelope = isRecord(root) ? root.Envelope : undefined;
  const body = isRecord(envelope) ? envelope.Body : undefined;
  const fault = isRecord(body) ? body.Fault : undefined;
  if (!isRecord(fault)) return null;
  const reason = isRecord(fault.Reason) ? fault.Reason.Text : undefined;
  const message = (textOf(fault.faultstring) ?? textOf(reason) ?? 'no fault text').slice(0, 500);
  const detail = isRecord(fault.detail) ? fault.detail : isRecord(fault.Detail) ? fault.Detail : {};
  return { message, errorNumber: integerOf(detail.ErrorNumber), subErrorNumber: integerOf(detail.SubErrorNumber) };
}

/** The recorder's answer for a missing (sub-error 1) or invalid/expired (2) token. */
export function isTokenFault(fault: SoapFaultInfo): boolean {
  if (fault.errorNumber === 40000 && (fault.subErrorNumber === 1 || fault.subErrorNumber === 2)) return true;
  return /token/i.test(fault.message) && /invalid|expired|no token/i.test(fault.message);
}

// ---------------------------------------------------------------------------------------------
// I/O

/** The recorder answered with a SOAP fault. */
export class SoapFaultError extends RequestFailure {
  override readonly name = 'SoapFaultError';
  constructor(readonly fault: SoapFaultInfo) {
    super(`SOAP fault: ${fault.message}`);
  }
}

const envelopeStart = /<(?:[\w.-]+:)?Envelope[\s>/]/;

/**
 * node-soap's transport, over fetchTrusting instead of its own axios: the agent's TLS trust
 * (pinning included), keep-alive, no redirects, an answer of at most `answerBytesMax`, the
 * caller's AbortSignal (`{ signal }` as the call's options). A non-200 answer without a SOAP
 * envelope is a RequestFailure `HTTP <status>`; a fault (HTTP 500 with an envelope) goes on to
 * node-soap, which reads it.
 */
class TrustingHttpClient implements soap.IHttpClient {
  constructor(
    private readonly trust: ServerTrust | null,
    private readonly answerBytesMax: number,
  ) {}

  request(url: string, data: unknown, callback: (error: unknown, res?: unknown, body?: unknown) => unknown, headers?: soap.IHeaders, options?: soap.IExOptions): ReturnType<soap.IHttpClient['request']> {
    const signal = (options as { signal?: AbortSignal } | undefined)?.signal;
    void (async () => {
      try {
        const res = await fetchTrusting(url, this.trust, {
          method: data === null || data === undefined ? 'GET' : 'POST',
          headers: Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)])),
          ...(typeof data === 'string' ? { body: data } : {}),
          redirect: 'manual',
          ...(signal === undefined ? {} : { signal }),
        });
        const body = await readBoundedOrFail(res, this.answerBytesMax);
        if (res.status !== 200 && !envelopeStart.test(body.slice(0, 4096))) throw new RequestFailure(`HTTP ${res.status}`);
        callback(null, { status: res.status, headers: Object.fromEntries(res.headers), data: body }, body);
      } catch (err) {
        callback(err);
      }
    })();
    // node-soap ignores what request() returns.
    return Promise.resolve() as unknown as ReturnType<soap.IHttpClient['request']>;
  }
}

export interface RecorderSoapClientOptions {
  /** The service, e.g. http://rs:7563/RecorderStatusService/RecorderStatusService2.asmx; its WSDL is `?wsdl`. */
  readonly serviceUrl: string;
  /** The WSDL's service name, e.g. RecorderStatusService2. */
  readonly serviceName: string;
  readonly soapVersion: SoapVersion;
  readonly trust: ServerTrust | null;
  /** Bound on one answer (and on the WSDL). */
  readonly answerBytesMax: number;
}

/** Calls on one port of a recorder service. */
export interface RecorderSoapClient {
  readonly port: WsdlPort;
  /**
   * One operation: its `…Result` element as node-soap reads it (typed by the WSDL's schema).
   * Rejects with SoapFaultError, RequestFailure (HTTP status, bounds), UnparseableAnswerError,
   * or the transport's error (connection refused, aborted).
   */
  call(operation: string, args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<unknown>;
}

type PortMethod = (args: unknown, callback: (err: unknown, result: unknown) => void, options: { signal: AbortSignal }) => void;

function callError(err: unknown): unknown {
  const fault = readSoapFault((err as { root?: unknown } | null)?.root);
  if (fault !== null) return new SoapFaultError(fault);
  // node-soap marks an answer it could not read with the body it got; its (or sax's) first
  // line says why, without request content.
  if (err instanceof Error && 'body' in err) return new UnparseableAnswerError(err.message.split('\n')[0]?.slice(0, 120) ?? 'unreadable');
  return err;
}

/**
 * Reads the service's WSDL (through the same trust as the calls) and builds a node-soap client
 * on its port for `soapVersion`.
 *
 * @throws RequestFailure (the WSDL could not be read), WsdlError (no such port), or the
 *   transport's error.
 * @example
 *   const status = await createRecorderSoapClient({ serviceUrl, serviceName: 'RecorderStatusService2', soapVersion: '1.2', trust: null, answerBytesMax: 16 << 20 }, AbortSignal.timeout(5_000));
 *   await status.call('GetRecordingStorageStatus', { token }, signal) // { GetRecordingStorageStatusResult: { StorageStatus: [...] } }
 */
export async function createRecorderSoapClient(o: RecorderSoapClientOptions, signal: AbortSignal): Promise<RecorderSoapClient> {
  const wsdlUrl = `${o.serviceUrl}?wsdl`;
  const res = await fetchTrusting(wsdlUrl, o.trust, { redirect: 'manual', signal });
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new RequestFailure(`the WSDL: HTTP ${res.status}`);
  }
  const xml = await readBoundedOrFail(res, Math.min(o.answerBytesMax, wsdlBytesMax));
  const port = chooseWsdlPort(readWsdlPorts(xml), o.serviceName, o.soapVersion);
  const httpClient = new TrustingHttpClient(o.trust, o.answerBytesMax);
  const options: soap.IOptions = { httpClient, forceSoap12Headers: o.soapVersion === '1.2', disableCache: true };
  const wsdl = new soap.WSDL(xml, wsdlUrl, options);
  await abortable(
    new Promise<void>((resolve, reject) => {
      wsdl.onReady((err) => (err ? reject(new WsdlError(`unreadable WSDL (${String(err.message).slice(0, 80)})`)) : resolve()));
    }),
    signal,
  );
  const client = new soap.Client(wsdl, o.serviceUrl, options);
  const methods = (client[o.serviceName] as Record<string, Record<string, PortMethod> | undefined> | undefined)?.[port.port];
  if (methods === undefined) throw new WsdlError(`the WSDL's port ${port.port} has no binding`);
  return {
    port,
    call: (operation, args, callSignal) => {
      const method = methods[operation];
      if (method === undefined) return Promise.reject(new WsdlError(`the WSDL's ${port.port} has no operation ${operation}`));
      if (callSignal.aborted) return Promise.reject(callSignal.reason as Error);
      return new Promise((resolve, reject) => {
        method(args, (err, result) => (err ? reject(callError(err)) : resolve(result)), { signal: callSignal });
      });
    },
  };
}
