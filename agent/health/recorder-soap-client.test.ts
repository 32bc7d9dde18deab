import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseWsdlPort, createRecorderSoapClient, isTokenFault, readSoapFault, readWsdlPorts, SoapFaultError, WsdlError } from './recorder-soap-client.js';
import { startRecorderStandIn, statusPath, statusWsdl } from './recorder-probe.fixtures.js';

const location = `http://rs-a:7563${statusPath}`;

describe('the WSDL a recorder serves', () => {
  it('has a SOAP 1.1 and a SOAP 1.2 port, told apart by their address namespace', () => {
    assert.deepEqual(readWsdlPorts(statusWsdl(location)), [
      { service: 'RecorderStatusService2', port: 'RecorderStatusService2Soap', binding: 'RecorderStatusService2Soap', soapVersion: '1.1', location },
      { service: 'RecorderStatusService2', port: 'RecorderStatusService2Soap12', binding: 'RecorderStatusService2Soap12', soapVersion: '1.2', location },
    ]);
  });

  it('is read whatever prefixes the writer chose', () => {
    const renamed = statusWsdl(location).replace(/wsdl:/g, 'w:').replace('xmlns:wsdl=', 'xmlns:w=').replace(/soap12:/g, 's12:').replace('xmlns:soap12=', 'xmlns:s12=');
    assert.deepEqual(readWsdlPorts(renamed).map((p) => [p.port, p.soapVersion]), [['RecorderStatusService2Soap', '1.1'], ['RecorderStatusService2Soap12', '1.2']]);
  });

  it('the port is chosen by SOAP version; a missing one is a clear error', () => {
    const both = readWsdlPorts(statusWsdl(location));
    assert.equal(chooseWsdlPort(both, 'RecorderStatusService2', '1.1').port, 'RecorderStatusService2Soap');
    assert.equal(chooseWsdlPort(both, 'RecorderStatusService2', '1.2').port, 'RecorderStatusService2Soap12');
    const only11 = readWsdlPorts(statusWsdl(location, { soap12: false }));
    assert.throws(() => chooseWsdlPort(only11, 'RecorderStatusService2', '1.2'), /has no SOAP 1\.2 port \(it has RecorderStatusService2Soap \(SOAP 1\.1\)\)/);
    assert.throws(() => chooseWsdlPort(both, 'RecorderCommandService', '1.1'), /no service RecorderCommandService/);
  });

  it('what is not a WSDL is refused', () => {
    assert.throws(() => readWsdlPorts('<html><body>Service Unavailable</body></html>'), WsdlError);
    assert.throws(() => readWsdlPorts('<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">'), /not XML/);
    assert.throws(() => readWsdlPorts(''), WsdlError);
  });
});

describe('SOAP faults', () => {
  it('are read in SOAP 1.1 and 1.2 shapes, and token faults recognised', () => {
    const fault11 = readSoapFault({ Envelope: { Body: { Fault: { faultcode: 'soap:Server', faultstring: 'Token invalid', detail: { ErrorNumber: '40000', SubErrorNumber: '2' } } } } });
    assert.deepEqual(fault11, { message: 'Token invalid', errorNumber: 40000, subErrorNumber: 2 });
    assert.equal(fault11 !== null && isTokenFault(fault11), true);
    const fault12 = readSoapFault({ Envelope: { Body: { Fault: { Code: { Value: 'soap:Receiver' }, Reason: { Text: { $value: 'Device not found' } } } } } });
    assert.deepEqual(fault12, { message: 'Device not found', errorNumber: null, subErrorNumber: null });
    assert.equal(fault12 !== null && isTokenFault(fault12), false);
    assert.equal(isTokenFault({ message: 'The token has expired', errorNumber: null, subErrorNumber: null }), true);
    assert.equal(readSoapFault({ Envelope: { Body: {} } }), null);
    assert.equal(readSoapFault(undefined), null);
  });
});

describe('createRecorderSoapClient against a recorder serving its WSDL', () => {
  for (const soapVersion of ['1.1', '1.2'] as const) {
    it(`speaks SOAP ${soapVersion} on that port, to the configured URL, and reads faults`, async () => {
      const recorder = await startRecorderStandIn();
      try {
        const serviceUrl = new URL(statusPath.slice(1), recorder.webServerUrl).toString();
        const client = await createRecorderSoapClient({ serviceUrl, serviceName: 'RecorderStatusService2', soapVersion, trust: null, answerBytesMax: 1 << 20 }, AbortSignal.timeout(5_000));
        assert.equal(client.port.soapVersion, soapVersion);
        const answer = await client.call('GetRecordingStorageStatus', { token: 'tok-a' }, AbortSignal.timeout(5_000));
        assert.equal((answer as { GetRecordingStorageStatusResult: { StorageStatus: unknown[] } }).GetRecordingStorageStatusResult.StorageStatus.length, 1);
        // The WSDL's address (127.0.0.1:1) is not used: the request reached the configured URL.
        const seen = recorder.posts[0];
        assert.ok(seen !== undefined);
        if (soapVersion === '1.2') assert.match(seen.contentType, /^application\/soap\+xml; charset=utf-8; action="http:\/\/videoos\.net\/2\/XProtectCSRecorderStatus2\/GetRecordingStorageStatus"$/);
        else assert.equal(seen.soapAction, 'http://videoos.net/2/XProtectCSRecorderStatus2/GetRecordingStorageStatus');
        recorder.refusedTokens.add('tok-b');
        await assert.rejects(client.call('GetRecordingStorageStatus', { token: 'tok-b' }, AbortSignal.timeout(5_000)), (err: unknown) => err instanceof SoapFaultError && err.fault.subErrorNumber === 2 && err.fault.message === 'Token invalid');
      } finally {
        await recorder.close();
      }
    });
  }

  it('a WSDL without the asked-for port, or an error page, fails the creation', async () => {
    const recorder = await startRecorderStandIn({ soap12: false });
    try {
      const serviceUrl = new URL(statusPath.slice(1), recorder.webServerUrl).toString();
      const options = { serviceUrl, serviceName: 'RecorderStatusService2', trust: null, answerBytesMax: 1 << 20 };
      await assert.rejects(createRecorderSoapClient({ ...options, soapVersion: '1.2' }, AbortSignal.timeout(5_000)), /no SOAP 1\.2 port/);
      recorder.wsdlDown = true;
      await assert.rejects(createRecorderSoapClient({ ...options, soapVersion: '1.1' }, AbortSignal.timeout(5_000)), /the WSDL: HTTP 503/);
      await assert.rejects(createRecorderSoapClient({ ...options, answerBytesMax: 100, soapVersion: '1.1' }, AbortSignal.timeout(5_000)), /HTTP 503/);
      recorder.wsdlDown = false;
      await assert.rejects(createRecorderSoapClient({ ...options, answerBytesMax: 100, soapVersion: '1.1' }, AbortSignal.timeout(5_000)), /answer larger than 100 bytes/);
    } finally {
      await recorder.close();
    }
  });
});
