/**
 * WSDL documents for the recorder's SOAP services, in the shape ASP.NET (.asmx) web services
 * publish: document/literal wrapped, one schema for the service namespace and one for
 * Microsoft's `guid` type, and two bindings of one port type with a port each, as ASP.NET
 * writes them: `<Service>Soap` (SOAP 1.1) and `<Service>Soap12` (SOAP 1.2). A real
 * RecorderStatusService2 WSDL has both (Java classes generated from it, public repository
 * SrimanRao19/Milestone-VMS; xprotect-integration.md 0a). Derived types (CameraDeviceStatus extends
 * MediaStreamDeviceStatusBase extends DeviceStatusBase extends StatusBase, and so on) are
 * written flattened, with their elements in the same order, which is the same on the wire.
 */

export const STATUS_NAMESPACE = 'http://videoos.net/2/XProtectCSRecorderStatus2';
export const COMMAND_NAMESPACE = 'http://videoos.net/2/XProtectCSRecorderCommand';
export const STATUS_SERVICE_PATH = '/RecorderStatusService/RecorderStatusService2.asmx';
export const COMMAND_SERVICE_PATH = '/RecorderCommandService/RecorderCommandService.asmx';

/** [name, type, occurrence]; occurrence: '1' (exactly one), '?' (optional) or '*' (any number). */
type Field = readonly [string, string, ('1' | '?' | '*')?];

interface Operation {
  readonly name: string;
  readonly input: readonly Field[];
  readonly output: readonly Field[];
}

interface ServiceDefinition {
  readonly name: string;
  readonly namespace: string;
  readonly types: ReadonlyArray<readonly [string, readonly Field[]]>;
  readonly operations: readonly Operation[];
}

function fieldXml([name, type, occurrence = '1']: Field): string {
  const min = occurrence === '1' ? 1 : 0;
  const max = occurrence === '*' ? 'unbounded' : '1';
  return `<s:element minOccurs="${min}" maxOccurs="${max}" name="${name}" type="${type}"/>`;
}

function sequence(fields: readonly Field[]): string {
  return fields.length === 0 ? '<s:complexType/>' : `<s:complexType><s:sequence>${fields.map(fieldXml).join('')}</s:sequence></s:complexType>`;
}

function buildWsdl(def: ServiceDefinition, location: string): string {
  const ns = def.namespace;
  const types = def.types.map(([name, fields]) => sequence(fields).replace('<s:complexType', `<s:complexType name="${name}"`)).join('\n      ');
  const elements = def.operations
    .flatMap((op) => [`<s:element name="${op.name}">${sequence(op.input)}</s:element>`, `<s:element name="${op.name}Response">${sequence(op.output)}</s:element>`])
    .join('\n      ');
  const messages = def.operations
    .map((op) => `<wsdl:message name="${op.name}SoapIn"><wsdl:part name="parameters" element="tns:${op.name}"/></wsdl:message>\n  <wsdl:message name="${op.name}SoapOut"><wsdl:part name="parameters" element="tns:${op.name}Response"/></wsdl:message>`)
    .join('\n  ');
  const portOps = def.operations.map((op) => `<wsdl:operation name="${op.name}"><wsdl:input message="tns:${op.name}SoapIn"/><wsdl:output message="tns:${op.name}SoapOut"/></wsdl:operation>`).join('\n    ');
  // ASP.NET writes the same operations for both bindings, each in its own SOAP namespace.
  const bindingOps = (soap: 'soap' | 'soap12'): string =>
    def.operations
      .map((op) => `<wsdl:operation name="${op.name}"><${soap}:operation soapAction="${ns}/${op.name}" style="document"/><wsdl:input><${soap}:body use="literal"/></wsdl:input><wsdl:output><${soap}:body use="literal"/></wsdl:output></wsdl:operation>`)
      .join('\n    ');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:s1="http://microsoft.com/wsdl/types/" xmlns:tns="${ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${ns}">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${ns}">
      <s:import namespace="http://microsoft.com/wsdl/types/"/>
      ${elements}
      ${types}
    </s:schema>
    <s:schema elementFormDefault="qualified" targetNamespace="http://microsoft.com/wsdl/types/">
      <s:simpleType name="guid"><s:restriction base="s:string"><s:pattern value="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"/></s:restriction></s:simpleType>
    </s:schema>
  </wsdl:types>
  ${messages}
  <wsdl:portType name="${def.name}Soap">
    ${portOps}
  </wsdl:portType>
  <wsdl:binding name="${def.name}Soap" type="tns:${def.name}Soap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    ${bindingOps('soap')}
  </wsdl:binding>
  <wsdl:binding name="${def.name}Soap12" type="tns:${def.name}Soap">
    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    ${bindingOps('soap12')}
  </wsdl:binding>
  <wsdl:service name="${def.name}">
    <wsdl:port name="${def.name}Soap" binding="tns:${def.name}Soap">
      <soap:address location="${location}"/>
    </wsdl:port>
    <wsdl:port name="${def.name}Soap12" binding="tns:${def.name}Soap12">
      <soap12:address location="${location}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

const token: Field = ['token', 's:string', '?'];
const deviceIds: Field = ['deviceIds', 'tns:ArrayOfGuid', '?'];
const sessionId: Field = ['statusSessionId', 's1:guid'];

/** RecorderStatusService2: device status, statistics and status sessions. */
export const statusServiceDefinition: ServiceDefinition = {
  name: 'RecorderStatusService2',
  namespace: STATUS_NAMESPACE,
  types: [
    ['ArrayOfGuid', [['guid', 's1:guid', '*']]],
    [
      'Status',
      [
        ['CameraDeviceStatusArray', 'tns:ArrayOfCameraDeviceStatus', '?'],
      ],
    ],
    ['ArrayOfCameraDeviceStatus', [['CameraDeviceStatus', 'tns:CameraDeviceStatus', '*']]],
    [
      'CameraDeviceStatus',
      [
        ['Time', 's:dateTime'],
        ['DeviceId', 's1:guid'],
        ['IsChange', 's:boolean'],
        ['Enabled', 's:boolean'],
        ['Started', 's:boolean'],
        ['Error', 's:boolean'],
        ['ErrorNotLicensed', 's:boolean'],
        ['ErrorNoConnection', 's:boolean'],
        ['Recording', 's:boolean'],
        ['DbMoveInProgress', 's:boolean'],
        ['ErrorOverflow', 's:boolean'],
        ['ErrorWritingGop', 's:boolean'],
        ['DbRepairInProgress', 's:boolean'],
        ['Motion', 's:boolean'],
      ],
    ],
    ['ArrayOfVideoDeviceStatistics', [['VideoDeviceStatistics', 'tns:VideoDeviceStatistics', '*']]],
    [
      'VideoDeviceStatistics',
      [
        ['DeviceId', 's1:guid'],
        ['UsedSpaceInBytes', 's:unsignedLong'],
        ['VideoStreamStatisticsArray', 'tns:ArrayOfVideoStreamStatistics', '?'],
      ],
    ],
    ['ArrayOfVideoStreamStatistics', [['VideoStreamStatistics', 'tns:VideoStreamStatistics', '*']]],
    [
      'VideoStreamStatistics',
      [
        ['StreamId', 's1:guid'],
        ['Name', 's:string', '?'],
        ['RecordingStream', 's:boolean'],
        ['LiveStream', 's:boolean'],
        ['LiveStreamDefault', 's:boolean'],
        ['LiveStreamRunAlways', 's:boolean'],
        ['BPS', 's:unsignedLong'],
        ['FPS', 's:double'],
        ['ImageResolution', 'tns:Size'],
        ['VideoFormat', 's:string', '?'],
        ['ImageSizeInBytes', 's:unsignedLong'],
        ['FPSRequested', 's:double'],
      ],
    ],
    ['Size', [['Width', 's:int'], ['Height', 's:int']]],
    ['ArrayOfStorageStatus', [['StorageStatus', 'tns:StorageStatus', '*']]],
    [
      'StorageStatus',
      [
        ['StorageId', 's1:guid'],
        ['Name', 's:string', '?'],
        ['Path', 's:string', '?'],
        ['Available', 's:boolean'],
        ['UsedSpaceInBytes', 's:unsignedLong'],
        ['FreeSpaceInBytes', 's:unsignedLong'],
      ],
    ],
  ],
  operations: [
    { name: 'GetCurrentDeviceStatus', input: [token, deviceIds], output: [['GetCurrentDeviceStatusResult', 'tns:Status', '?']] },
    { name: 'GetVideoDeviceStatistics', input: [token, deviceIds], output: [['GetVideoDeviceStatisticsResult', 'tns:ArrayOfVideoDeviceStatistics', '?']] },
    { name: 'GetRecordingStorageStatus', input: [token], output: [['GetRecordingStorageStatusResult', 'tns:ArrayOfStorageStatus', '?']] },
    { name: 'StartStatusSession', input: [token], output: [['StartStatusSessionResult', 's1:guid']] },
    { name: 'SubscribeDeviceStatus', input: [token, sessionId, deviceIds], output: [] },
    { name: 'GetStatus', input: [token, sessionId, ['millisecondsTimeout', 's:int']], output: [['GetStatusResult', 'tns:Status', '?']] },
    { name: 'StopStatusSession', input: [token, sessionId], output: [] },
  ],
};

/** RecorderCommandService: the sequence queries. */
export const commandServiceDefinition: ServiceDefinition = {
  name: 'RecorderCommandService',
  namespace: COMMAND_NAMESPACE,
  types: [
    ['ArrayOfGuid', [['guid', 's1:guid', '*']]],
    ['ArrayOfSequenceType', [['SequenceType', 'tns:SequenceType', '*']]],
    ['SequenceType', [['Id', 's1:guid'], ['Name', 's:string', '?']]],
    ['ArrayOfSequenceEntry', [['SequenceEntry', 'tns:SequenceEntry', '*']]],
    ['SequenceEntry', [['TimeBegin', 's:dateTime'], ['TimeTrigged', 's:dateTime'], ['TimeEnd', 's:dateTime']]],
  ],
  operations: [
    { name: 'SequencesGetTypes', input: [token, deviceIds], output: [['SequencesGetTypesResult', 'tns:ArrayOfSequenceType', '?']] },
    {
      name: 'SequencesGet',
      input: [token, ['deviceId', 's1:guid'], ['sequenceType', 's1:guid'], ['minTime', 's:dateTime'], ['maxTime', 's:dateTime'], ['maxCount', 's:int']],
      output: [['SequencesGetResult', 'tns:ArrayOfSequenceEntry', '?']],
    },
  ],
};

export function statusServiceWsdl(location: string): string {
  return buildWsdl(statusServiceDefinition, location);
}

export function commandServiceWsdl(location: string): string {
  return buildWsdl(commandServiceDefinition, location);
}
