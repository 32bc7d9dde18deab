// Test fixtures for the recorder probe (agent/ tests cannot import lab/): a RecorderStatusService2
// WSDL as ASP.NET publishes it, trimmed to the three operations the probe calls, with its SOAP
// 1.1 and 1.2 ports; and a small recorder stand-in on 127.0.0.1 that serves it, answers those
// operations for the ids asked for, an IDP token endpoint and a ServerCommandServiceOAuth Login,
// recording every request.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export const statusNamespace = 'http://videoos.net/2/XProtectCSRecorderStatus2';
export const statusPath = '/RecorderStatusService/RecorderStatusService2.asmx';

const operations = ['GetCurrentDeviceStatus', 'GetVideoDeviceStatistics', 'GetRecordingStorageStatus'] as const;

/** The WSDL; `ports` leaves out a binding's port to test a recorder without it. */
export function statusWsdl(location: string, ports: { readonly soap11?: boolean; readonly soap12?: boolean } = {}): string {
  const ns = statusNamespace;
  const bindingOps = (soap: string): string =>
    operations.map((op) => `<wsdl:operation name="${op}"><${soap}:operation soapAction="${ns}/${op}" style="document"/><wsdl:input><${soap}:body use="literal"/></wsdl:input><wsdl:output><${soap}:body use="literal"/></wsdl:output></wsdl:operation>`).join('');
  const el = (name: string, type: string, min = 1, max = '1'): string => `<s:element minOccurs="${min}" maxOccurs="${max}" name="${name}" type="${type}"/>`;
  const flags = ['IsChange', 'Enabled', 'Started', 'Error', 'ErrorNotLicensed', 'ErrorNoConnection', 'Recording', 'DbMoveInProgress', 'ErrorOverflow', 'ErrorWritingGop', 'DbRepairInProgress', 'Motion'].map((f) => el(f, 's:boolean')).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:s1="http://microsoft.com/wsdl/types/" xmlns:tns="${ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${ns}">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${ns}">
      <s:import namespace="http://microsoft.com/wsdl/types/"/>
      <s:element name="GetCurrentDeviceStatus"><s:complexType><s:sequence>${el('token', 's:string', 0)}${el('deviceIds', 'tns:ArrayOfGuid', 0)}</s:sequence></s:complexType></s:element>
      <s:element name="GetCurrentDeviceStatusResponse"><s:complexType><s:sequence>${el('GetCurrentDeviceStatusResult', 'tns:Status', 0)}</s:sequence></s:complexType></s:element>
      <s:element name="GetVideoDeviceStatistics"><s:complexType><s:sequence>${el('token', 's:string', 0)}${el('deviceIds', 'tns:ArrayOfGuid', 0)}</s:sequence></s:complexType></s:element>
      <s:element name="GetVideoDeviceStatisticsResponse"><s:complexType><s:sequence>${el('GetVideoDeviceStatisticsResult', 'tns:ArrayOfVideoDeviceStatistics', 0)}</s:sequence></s:complexType></s:element>
      <s:element name="GetRecordingStorageStatus"><s:complexType><s:sequence>${el('token', 's:string', 0)}</s:sequence></s:complexType></s:element>
      <s:element name="GetRecordingStorageStatusResponse"><s:complexType><s:sequence>${el('GetRecordingStorageStatusResult', 'tns:ArrayOfStorageStatus', 0)}</s:sequence></s:complexType></s:element>
      <s:complexType name="ArrayOfGuid"><s:sequence>${el('guid', 's1:guid', 0, 'unbounded')}</s:sequence></s:complexType>
      <s:complexType name="Status"><s:sequence>${el('CameraDeviceStatusArray', 'tns:ArrayOfCameraDeviceStatus', 0)}</s:sequence></s:complexType>
      <s:complexType name="ArrayOfCameraDeviceStatus"><s:sequence>${el('CameraDeviceStatus', 'tns:CameraDeviceStatus', 0, 'unbounded')}</s:sequence></s:complexType>
      <s:complexType name="CameraDeviceStatus"><s:sequence>${el('Time', 's:dateTime')}${el('DeviceId', 's1:guid')}${flags}</s:sequence></s:complexType>
      <s:complexType name="ArrayOfVideoDeviceStatistics"><s:sequence>${el('VideoDeviceStatistics', 'tns:VideoDeviceStatistics', 0, 'unbounded')}</s:sequence></s:complexType>
      <s:complexType name="VideoDeviceStatistics"><s:sequence>${el('DeviceId', 's1:guid')}${el('UsedSpaceInBytes', 's:unsignedLong')}${el('VideoStreamStatisticsArray', 'tns:ArrayOfVideoStreamStatistics', 0)}</s:sequence></s:complexType>
      <s:complexType name="ArrayOfVideoStreamStatistics"><s:sequence>${el('VideoStreamStatistics', 'tns:VideoStreamStatistics', 0, 'unbounded')}</s:sequence></s:complexType>
      <s:complexType name="VideoStreamStatistics"><s:sequence>${el('StreamId', 's1:guid')}${el('Name', 's:string', 0)}${el('RecordingStream', 's:boolean')}${el('LiveStream', 's:boolean')}${el('LiveStreamDefault', 's:boolean')}${el('LiveStreamRunAlways', 's:boolean')}${el('BPS', 's:unsignedLong')}${el('FPS', 's:double')}${el('ImageResolution', 'tns:Size')}${el('VideoFormat', 's:string', 0)}${el('ImageSizeInBytes', 's:unsignedLong')}${el('FPSRequested', 's:double')}</s:sequence></s:complexType>
      <s:complexType name="Size"><s:sequence>${el('Width', 's:int')}${el('Height', 's:int')}</s:sequence></s:complexType>
      <s:complexType name="ArrayOfStorageStatus"><s:sequence>${el('StorageStatus', 'tns:StorageStatus', 0, 'unbounded')}</s:sequence></s:complexType>
      <s:complexType name="StorageStatus"><s:sequence>${el('StorageId', 's1:guid')}${el('Name', 's:string', 0)}${el('Path', 's:string', 0)}${el('Available', 's:boolean')}${el('UsedSpaceInBytes', 's:unsignedLong')}${el('FreeSpaceInBytes', 's:unsignedLong')}</s:sequence></s:complexType>
    </s:schema>
    <s:schema elementFormDefault="qualified" targetNamespace="http://microsoft.com/wsdl/types/">
      <s:simpleType name="guid"><s:restriction base="s:string"><s:pattern value="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"/></s:restriction></s:simpleType>
    </s:schema>
  </wsdl:types>
  ${operations.map((op) => `<wsdl:message name="${op}SoapIn"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message><wsdl:message name="${op}SoapOut"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`).join('\n  ')}
  <wsdl:portType name="RecorderStatusService2Soap">${operations.map((op) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}SoapIn"/><wsdl:output message="tns:${op}SoapOut"/></wsdl:operation>`).join('')}</wsdl:portType>
  <wsdl:binding name="RecorderStatusService2Soap" type="tns:RecorderStatusService2Soap"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps('soap')}</wsdl:binding>
  <wsdl:binding name="RecorderStatusService2Soap12" type="tns:RecorderStatusService2Soap"><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps('soap12')}</wsdl:binding>
  <wsdl:service name="RecorderStatusService2">
    ${ports.soap11 === false ? '' : `<wsdl:port name="RecorderStatusService2Soap" binding="tns:RecorderStatusService2Soap"><soap:address location="${location}"/></wsdl:port>`}
    ${ports.soap12 === false ? '' : `<wsdl:port name="RecorderStatusService2Soap12" binding="tns:RecorderStatusService2Soap12"><soap12:address location="${location}"/></wsdl:port>`}
  </wsdl:service>
</wsdl:definitions>
`;
}

export const envelopeNamespaces = { '1.1': 'http://schemas.xmlsoap.org/soap/envelope/', '1.2': 'http://www.w3.org/2003/05/soap-envelope' } as const;

/** A SOAP answer envelope of either version. */
export function answerEnvelope(version: '1.1' | '1.2', body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${envelopeNamespaces[version]}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

export function cameraStatusXml(id: string, flags: { readonly recording?: boolean; readonly enabled?: boolean; readonly error?: boolean } = {}): string {
  const b = (name: string, value: boolean): string => `<${name}>${value}</${name}>`;
  return `<CameraDeviceStatus><Time>2026-01-01T00:00:00Z</Time><DeviceId>${id}</DeviceId>${b('IsChange', false)}${b('Enabled', flags.enabled ?? true)}${b('Started', true)}${b('Error', flags.error ?? false)}${b('ErrorNotLicensed', false)}${b('ErrorNoConnection', false)}${b('Recording', flags.recording ?? true)}${b('DbMoveInProgress', false)}${b('ErrorOverflow', false)}${b('ErrorWritingGop', false)}${b('DbRepairInProgress', false)}${b('Motion', false)}</CameraDeviceStatus>`;
}

export function statisticsXml(id: string, fps: number): string {
  return `<VideoDeviceStatistics><DeviceId>${id}</DeviceId><UsedSpaceInBytes>1000</UsedSpaceInBytes><VideoStreamStatisticsArray><VideoStreamStatistics><StreamId>${id}</StreamId><Name>Video stream 1</Name><RecordingStream>true</RecordingStream><LiveStream>true</LiveStream><LiveStreamDefault>true</LiveStreamDefault><LiveStreamRunAlways>false</LiveStreamRunAlways><BPS>256000</BPS><FPS>${fps}</FPS><ImageResolution><Width>640</Width><Height>360</Height></ImageResolution><VideoFormat>JPEG</VideoFormat><ImageSizeInBytes>6400</ImageSizeInBytes><FPSRequested>5</FPSRequested></VideoStreamStatistics></VideoStreamStatisticsArray></VideoDeviceStatistics>`;
}

/** What the stand-in saw of one POST. */
export interface SeenRequest {
  readonly contentType: string;
  readonly soapAction: string | null;
  readonly body: string;
  readonly token: string | null;
  readonly deviceIds: readonly string[];
}

export interface RecorderStandIn {
  /** e.g. http://127.0.0.1:PORT/ */
  readonly webServerUrl: string;
  readonly tokenUrl: string;
  readonly wsdlReads: () => number;
  readonly posts: SeenRequest[];
  /** The recorder's cameras (it answers those asked for, and only those). */
  cameras: string[];
  /** The WSDL answers 503 while true. */
  wsdlDown: boolean;
  /** Tokens the recorder refuses with "Token invalid" (ErrorNumber 40000, SubErrorNumber 2). */
  readonly refusedTokens: Set<string>;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The stand-in: GET `?wsdl`, POSTs in SOAP 1.1 (text/xml + SOAPAction) or 1.2
 * (application/soap+xml; action=…) answered in the same version, an IDP issuing tok-1, tok-2, …,
 * and a Management Server Login issuing the VMS tokens TOKEN#vms-1#ms//ServerConnector#, ….
 */
export async function startRecorderStandIn(wsdlPorts: { readonly soap11?: boolean; readonly soap12?: boolean } = {}): Promise<RecorderStandIn> {
  let wsdlReads = 0;
  let issued = 0;
  let logins = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      if (url.startsWith('/IDP/connect/token')) {
        issued += 1;
        await bodyOf(req);
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${issued}`, expires_in: 3600, token_type: 'Bearer' }));
      }
      if (url.startsWith('/ManagementServer/ServerCommandServiceOAuth.svc')) {
        // ServerCommandServiceOAuth Login (the VMS token a recorder takes), 4 h to live.
        logins += 1;
        await bodyOf(req);
        const token = `TOKEN#vms-${logins}#ms//ServerConnector#`;
        const answer = `<LoginResponse xmlns="http://videoos.net/2/XProtectCSServerCommand"><LoginResult><TimeToLive><MicroSeconds>14400000000</MicroSeconds></TimeToLive><Token>${token}</Token></LoginResult></LoginResponse>`;
        return void res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(answerEnvelope('1.1', answer));
      }
      if (!url.startsWith(statusPath)) return void res.writeHead(404).end();
      if (req.method === 'GET') {
        wsdlReads += 1;
        if (standIn.wsdlDown) return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
        return void res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(statusWsdl(`http://127.0.0.1:1${statusPath}`, wsdlPorts));
      }
      const body = await bodyOf(req);
      const contentType = req.headers['content-type'] ?? '';
      const version = contentType.startsWith('application/soap+xml') ? '1.2' : '1.1';
      const action = version === '1.2' ? (/action="([^"]*)"/.exec(contentType)?.[1] ?? null) : (req.headers.soapaction?.toString().replace(/^"|"$/g, '') ?? null);
      const token = /<(?:\w+:)?token>([^<]*)</.exec(body)?.[1] ?? null;
      const deviceIds = [...body.matchAll(/<(?:\w+:)?guid>([^<]*)</g)].map((m) => m[1] as string);
      standIn.posts.push({ contentType, soapAction: action, body, token, deviceIds });
      const answer = (status: number, inner: string): void => void res.writeHead(status, { 'content-type': version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8' }).end(answerEnvelope(version, inner));
      if (!body.includes(envelopeNamespaces[version])) return answer(500, '<soap:Fault><faultcode>soap:VersionMismatch</faultcode><faultstring>wrong envelope</faultstring></soap:Fault>');
      if (token !== null && standIn.refusedTokens.has(token)) {
        return answer(
          500,
          version === '1.1'
            ? '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Token invalid</faultstring><detail><ErrorNumber>40000</ErrorNumber><SubErrorNumber>2</SubErrorNumber></detail></soap:Fault>'
            : '<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Token invalid</soap:Text></soap:Reason><soap:Detail><ErrorNumber>40000</ErrorNumber><SubErrorNumber>2</SubErrorNumber></soap:Detail></soap:Fault>',
        );
      }
      const operation = action?.slice(statusNamespace.length + 1) ?? '';
      const asked = deviceIds.filter((id) => standIn.cameras.includes(id));
      const result =
        operation === 'GetCurrentDeviceStatus'
          ? `<CameraDeviceStatusArray>${asked.map((id) => cameraStatusXml(id)).join('')}</CameraDeviceStatusArray>`
          : operation === 'GetVideoDeviceStatistics'
            ? asked.map((id) => statisticsXml(id, 5)).join('')
            : operation === 'GetRecordingStorageStatus'
              ? '<StorageStatus><StorageId>01d7a906-4e70-40a8-a681-504840d920b2</StorageId><Name>Local default</Name><Path>C:\\MediaDatabase</Path><Available>true</Available><UsedSpaceInBytes>1</UsedSpaceInBytes><FreeSpaceInBytes>2</FreeSpaceInBytes></StorageStatus>'
              : null;
      if (result === null) return answer(500, `<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of HTTP Header SOAPAction: ${action ?? ''}.</faultstring></soap:Fault>`);
      answer(200, `<${operation}Response xmlns="${statusNamespace}"><${operation}Result>${result}</${operation}Result></${operation}Response>`);
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const standIn: RecorderStandIn = {
    webServerUrl: `${base}/`,
    tokenUrl: `${base}/IDP/connect/token`,
    wsdlReads: () => wsdlReads,
    posts: [],
    cameras: [],
    wsdlDown: false,
    refusedTokens: new Set(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}
