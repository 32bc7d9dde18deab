using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Twinrec.Bridge;
using Twinrec.Bridge.GenericEvents;
using Xunit;

namespace Twinrec.Bridge.Tests;

/// <summary>Against a real TCP listener on loopback that answers as the International data source.</summary>
public class GenericEventSenderTests
{
    [Fact]
    public async Task Sends_utf8_text_and_crlf_and_reads_the_statistics_echo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var stream = peer.GetStream();
            var bytes = new byte[256];
            var length = 0;
            while (length < 2 || bytes[length - 1] != 10) length += await stream.ReadAsync(bytes.AsMemory(length));
            await stream.WriteAsync(Encoding.UTF8.GetBytes("1,22,1,twinrec failover\r\n"));
            return bytes[..length];
        });

        var receipt = await GenericEventSender.SendAsync(new GenericEventTarget("127.0.0.1", port, 5000), "twinrec failover Ærø", default);

        Assert.Equal([.. Encoding.UTF8.GetBytes("twinrec failover Ærø"), 13, 10], await received);
        Assert.Equal(new GenericEventReceipt(1, 22, 1, "twinrec failover"), receipt);
    }

    [Fact]
    public async Task No_access_is_reported_as_such()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            await peer.GetStream().WriteAsync(Encoding.ASCII.GetBytes("No access\r\n"));
            await Task.Delay(200);
        });
        var err = await Assert.ThrowsAsync<VmsCallException>(() => GenericEventSender.SendAsync(new GenericEventTarget("127.0.0.1", port, 5000), "x", default));
        Assert.StartsWith("No access", err.Reason);
        await serve;
    }

    [Fact]
    public async Task A_server_that_never_echoes_fails_after_the_read_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var err = await Assert.ThrowsAsync<VmsCallException>(() => GenericEventSender.SendAsync(new GenericEventTarget("127.0.0.1", port, 300), "x", default));
        Assert.Equal("no echo within 300 ms", err.Reason);
    }

    [Fact]
    public void Text_with_the_separator_inside_is_refused()
    {
        Assert.Throws<BridgeInputException>(() => GenericEventSender.Payload("one\r\ntwo"));
        Assert.Throws<BridgeInputException>(() => GenericEventSender.Payload(""));
    }
}
