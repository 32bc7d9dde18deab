import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestFramer, ResponseReader, alarmsResponse, imageResponse, methodResponse, parseConnectParam, parseMethodCall } from './protocol.js';

describe('ImageServer protocol', () => {
  it('splits requests at CR LF CR LF and parses method calls with nested elements', () => {
    const framer = new RequestFramer();
    const text =
      '<?xml version="1.0" encoding="utf-8"?><methodcall><requestid>0</requestid><methodname>connect</methodname><username>a</username>' +
      '<connectparam>id=0b7c5e7a-1d2e-4f00-9abc-0123456789ab&amp;connectiontoken=abc.def</connectparam><transcode><allframes>yes</allframes></transcode></methodcall>\r\n\r\n' +
      '<methodcall><requestid>1</requestid><methodname>LIVE</methodname></methodcall>\r\n\r\n<methodcall>';
    const requests = [...framer.push(Buffer.from(text.slice(0, 50))), ...framer.push(Buffer.from(text.slice(50)))];
    assert.equal(requests.length, 2);
    const connect = parseMethodCall(requests[0] ?? '');
    assert.equal(connect.methodName, 'connect');
    assert.equal(connect.params['transcode/allframes'], 'yes');
    assert.deepEqual(parseConnectParam(connect.params.connectparam ?? ''), { id: '0b7c5e7a-1d2e-4f00-9abc-0123456789ab', token: 'abc.def' });
    assert.equal(parseMethodCall(requests[1] ?? '').methodName, 'live');
    assert.throws(() => parseMethodCall('<other/>'), /methodcall/);
    assert.throws(() => new RequestFramer().push(Buffer.alloc(70_000, 60)), /over/);
  });

  it('writes image responses with the real headers and a reader gets them back', () => {
    const image = Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const bytes = Buffer.concat([
      methodResponse('0', 'connect', [
        ['connected', 'yes'],
        ['errorreason', ''],
      ]),
      imageResponse({ requestId: '2', currentMs: 1000, nextMs: 1100, prevMs: 900, contentType: 'image/jpeg' }, image),
      alarmsResponse('3', [{ beginMs: 1, endMs: 2 }]),
    ]);
    assert.match(bytes.toString('latin1'), /ImageResponse\r\nRequestId: 2\r\nCurrent: 1000\r\nNext: 1100\r\nPrev: 900\r\nContent-type: image\/jpeg\r\nContent-length: 7\r\n\r\n/);
    const reader = new ResponseReader();
    const messages = [...reader.push(bytes.subarray(0, 100)), ...reader.push(bytes.subarray(100))];
    assert.equal(messages.length, 3);
    assert.match((messages[0] as { text: string }).text, /<connected>yes<\/connected>/);
    const received = messages[1] as { kind: string; headers: Record<string, string>; image: Buffer };
    assert.equal(received.kind, 'image');
    assert.deepEqual(received.image, image);
    assert.equal(received.headers.current, '1000');
    assert.match((messages[2] as { text: string }).text, /<alarm starttime="1" endtime="2" alarmtime="1"\/>/);
  });
});
