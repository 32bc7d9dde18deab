using System;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Twinrec.Bridge;
using Twinrec.Bridge.RecorderStatus;
using Xunit;

namespace Twinrec.Bridge.Tests;

public class RecorderStatusClientTests
{
    private static readonly XNamespace Ns = RecorderStatusClient.Namespace;

    [Fact]
    public void The_request_carries_the_token_and_every_device_id_in_the_service_namespace()
    {
        var a = Guid.Parse("0b7c3a8e-7f6e-4b8a-9d55-0d0b2f6b1a01");
        var b = Guid.Parse("0b7c3a8e-7f6e-4b8a-9d55-0d0b2f6b1a02");
        var xml = XDocument.Parse(RecorderStatusClient.RequestEnvelope("TOKEN#1<&>#ms//ServerConnector#", [a, b]));
        var call = Assert.Single(xml.Descendants(Ns + "GetCurrentDeviceStatus"));
        Assert.Equal("TOKEN#1<&>#ms//ServerConnector#", (string?)call.Element(Ns + "token"));
        Assert.Equal([a.ToString(), b.ToString()], call.Element(Ns + "deviceIds")!.Elements(Ns + "guid").Select(e => e.Value));
    }

    [Fact]
    public async Task No_device_ids_is_refused_before_anything_is_sent()
    {
        using var http = new System.Net.Http.HttpClient();
        var client = new RecorderStatusClient(http);
        var err = await Assert.ThrowsAsync<BridgeInputException>(() => client.GetCurrentDeviceStatusAsync(new Uri("http://127.0.0.1:9/"), "t", [], default));
        Assert.Contains("at least one device", err.Message);
    }

    [Fact]
    public void A_status_answer_gives_each_camera_with_its_flags()
    {
        const string body = """
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
            <GetCurrentDeviceStatusResponse xmlns="http://videoos.net/2/XProtectCSRecorderStatus2"><GetCurrentDeviceStatusResult>
            <CameraDeviceStatusArray><CameraDeviceStatus>
              <Time>2026-12-06T20:00:00.000Z</Time><DeviceId>0b7c3a8e-7f6e-4b8a-9d55-0d0b2f6b1a01</DeviceId><IsChange>false</IsChange>
              <Enabled>true</Enabled><Started>true</Started><Error>true</Error><ErrorNotLicensed>false</ErrorNotLicensed>
              <ErrorNoConnection>true</ErrorNoConnection><Recording>false</Recording><DbMoveInProgress>false</DbMoveInProgress>
              <ErrorOverflow>false</ErrorOverflow><ErrorWritingGop>false</ErrorWritingGop><DbRepairInProgress>false</DbRepairInProgress><Motion>false</Motion>
            </CameraDeviceStatus></CameraDeviceStatusArray>
            </GetCurrentDeviceStatusResult></GetCurrentDeviceStatusResponse></soap:Body></soap:Envelope>
            """;
        var camera = Assert.Single(RecorderStatusClient.ParseResponse(200, body));
        Assert.Equal(Guid.Parse("0b7c3a8e-7f6e-4b8a-9d55-0d0b2f6b1a01"), camera.DeviceId);
        Assert.True(camera.Enabled && camera.Started && camera.Error && camera.ErrorNoConnection);
        Assert.False(camera.Recording);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero), camera.Time);
    }

    [Fact]
    public void A_soap_fault_becomes_the_reason()
    {
        const string body = """
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
            <faultcode>soap:Client</faultcode><faultstring>Token invalid</faultstring></soap:Fault></soap:Body></soap:Envelope>
            """;
        var err = Assert.Throws<VmsCallException>(() => RecorderStatusClient.ParseResponse(500, body));
        Assert.Equal("Token invalid", err.Reason);
    }
}
