using System;
using System.Text.Json;
using System.Threading.Tasks;
using Twinrec.Bridge;
using Twinrec.Bridge.Edge;
using Xunit;

namespace Twinrec.Bridge.Tests;

public class EdgeEntryTests
{
    [Fact]
    public async Task A_request_that_is_not_json_is_refused_with_a_clear_message()
    {
        var err = await Assert.ThrowsAsync<BridgeInputException>(() => new EdgeEntry().Login("{not json"));
        Assert.StartsWith("the request is not valid JSON", err.Message);
    }

    [Fact]
    public async Task A_connection_without_a_url_is_refused()
    {
        var err = await Assert.ThrowsAsync<BridgeInputException>(() => new EdgeEntry().ListRecordingServers("""{"connection":{"username":"u","password":"p"}}"""));
        Assert.Equal("connection.managementServerUrl must be an absolute URL", err.Message);
    }

    [Fact]
    public async Task A_generic_event_goes_out_without_a_connection_and_its_receipt_is_json()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var buffer = new byte[64];
            _ = await peer.GetStream().ReadAsync(buffer);
            await peer.GetStream().WriteAsync("7,5,0,\r\n"u8.ToArray());
        });
        var answer = (string)await new EdgeEntry().SendGenericEvent(JsonSerializer.Serialize(new { host = "127.0.0.1", port, text = "hello" }));
        Assert.Equal("""{"requestNumber":7,"chars":5,"matches":0,"eventName":""}""", answer);
        await serve;
    }

    [Fact]
    public void Connection_fields_are_checked()
    {
        Assert.Throws<BridgeInputException>(() => EdgeEntry.ToConnection(new EdgeEntry.ConnectionJson("ftp://ms/", "u", "p", null)));
        Assert.Throws<BridgeInputException>(() => EdgeEntry.ToConnection(new EdgeEntry.ConnectionJson("http://ms/", "", "p", null)));
        Assert.Throws<BridgeInputException>(() => EdgeEntry.ToConnection(new EdgeEntry.ConnectionJson("http://ms/", "u", "p", 0)));
        Assert.Equal(new Uri("http://ms/base/IDP/connect/token"), EdgeEntry.ToConnection(new EdgeEntry.ConnectionJson("http://ms/base", "u", "p", null)).Resolve("IDP/connect/token"));
    }
}
