import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRecorderConfig, renderRecorderConfig } from './config-file.js';
import { managementEndpoints } from './management-client.js';

const document = {
  version: '25.1.0.0',
  recorderId: '6E0F7C4A-1111-4222-8333-444455556666',
  displayName: 'Recorder & Co',
  clientRegistrationId: '0b7c5e7a-1d2e-4f00-9abc-0123456789ab',
  serverAddress: 'lab-xpco',
  serverWebApiPort: 9000,
  authorizationServerAddress: 'http://lab-xpco/IDP/',
  webServerHost: '127.0.0.1',
  webServerPort: 7563,
  webApiPort: 9001,
  storagePath: 'C:\\MediaDatabase',
};

describe('RecorderConfig.xml', () => {
  it('reads the real element names from a rendered file', () => {
    const config = parseRecorderConfig(renderRecorderConfig(document));
    assert.deepEqual(config, {
      recorderId: '6e0f7c4a-1111-4222-8333-444455556666',
      displayName: 'Recorder & Co',
      serverAddress: 'lab-xpco',
      serverWebApiPort: 9000,
      authorizationServerAddress: 'http://lab-xpco/IDP',
      webServerHost: '127.0.0.1',
      webServerPort: 7563,
      webApiPort: 9001,
    });
    assert.deepEqual(managementEndpoints(config), {
      tokenUrl: 'http://lab-xpco/IDP/connect/token',
      restBaseUrl: 'http://lab-xpco:9000/api/rest/v1',
      vmsTokenLookupUrl: 'http://lab-xpco:9000/lab/vms-tokens/lookup',
    });
  });

  it('reads a file in the layout XProtect writes, ignoring elements it does not use', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<recorderconfig>
  <version>25.1.0.2</version>
  <recorder><id>6e0f7c4a-1111-4222-8333-444455556666</id><displayname>RS1</displayname><serverEncryption enabled="false" certificateHash="" /></recorder>
  <server><address>lab-xpco</address><webapiport>9000</webapiport><authorizationserveraddress>http://lab-xpco/IDP</authorizationserveraddress><logenabled>true</logenabled></server>
  <webapi><port>9001</port><publicUri>rs1:9001</publicUri></webapi>
  <pipeline><maxframesinqueue>100</maxframesinqueue></pipeline>
  <webserver><host>rs1.example</host><port>7563</port><encryption enabled="false" /></webserver>
</recorderconfig>`;
    assert.equal(parseRecorderConfig(xml).webServerHost, 'rs1.example');
  });

  it('names the missing or bad element', () => {
    assert.throws(() => parseRecorderConfig('<other/>'), /<recorderconfig> not found/);
    assert.throws(() => parseRecorderConfig(renderRecorderConfig(document).replace('<port>7563</port>', '<port>seventy</port>')), /webserver\/port/);
    assert.throws(() => parseRecorderConfig(renderRecorderConfig(document).replace(/<id>.*<\/id>/, '<id></id>')), /recorder\/id/);
  });
});
