using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Twinrec.Bridge.GenericEvents;

/// <summary>
/// One generic event to the Event Server's International data source: TCP, UTF-8, the text and
/// the separator CR LF, then the statistics echo `[reqNo],[chars],[matches],[event name]`
/// (DOC-GE; MilestonePSTools SendGenericEvent.cs; mipsdk-samples-protocol TriggerGenericEvent).
/// </summary>
public static class GenericEventSender
{
    /// <summary>Bound on the text (the Event Server matches expressions against it; ours are short).</summary>
    public const int TextBytesMax = 64 * 1024;
    /// <summary>Bound on the echo line read back.</summary>
    public const int EchoBytesMax = 4096;
    public const int ReadTimeoutMsMax = 60_000;
    private static readonly byte[] Separator = [13, 10];

    public static async Task<GenericEventReceipt> SendAsync(GenericEventTarget target, string text, CancellationToken cancellation)
    {
        var payload = Payload(text);
        if (target.Port is < 1 or > 65_535) throw new BridgeInputException("port must be 1..65535");
        if (target.ReadTimeoutMs is < 1 or > ReadTimeoutMsMax) throw new BridgeInputException($"readTimeoutMs must be 1..{ReadTimeoutMsMax}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(target.ReadTimeoutMs);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(target.Host, target.Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(payload, timeout.Token).ConfigureAwait(false);
            return ParseEcho(await ReadLineAsync(stream, timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new VmsCallException("generic event", $"no echo within {target.ReadTimeoutMs} ms");
        }
        catch (SocketException err)
        {
            throw new VmsCallException("generic event", err.SocketErrorCode.ToString(), err);
        }
        catch (IOException err)
        {
            throw new VmsCallException("generic event", "connection closed before the echo", err);
        }
    }

    /// <summary>The bytes sent: UTF-8 text and CR LF. A CR or LF inside would split the event in two.</summary>
    internal static byte[] Payload(string text)
    {
        if (string.IsNullOrEmpty(text)) throw new BridgeInputException("text is required");
        if (text.Contains('\r') || text.Contains('\n')) throw new BridgeInputException("text must not contain CR or LF (the International separator)");
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > TextBytesMax) throw new BridgeInputException($"text is over {TextBytesMax} bytes");
        return [.. bytes, .. Separator];
    }

    /// <summary>`reqNo,chars,matches,event name`; a `No access` answer means our address is not allowed.</summary>
    internal static GenericEventReceipt ParseEcho(string line)
    {
        if (line.StartsWith("No access", StringComparison.OrdinalIgnoreCase))
            throw new VmsCallException("generic event", "No access: this address is not in the data source's allowed list");
        var parts = line.Split(',', 4);
        if (parts.Length < 3
            || !long.TryParse(parts[0].Trim('[', ']', ' '), NumberStyles.None, CultureInfo.InvariantCulture, out var requestNumber)
            || !long.TryParse(parts[1].Trim('[', ']', ' '), NumberStyles.None, CultureInfo.InvariantCulture, out var chars)
            || !long.TryParse(parts[2].Trim('[', ']', ' '), NumberStyles.None, CultureInfo.InvariantCulture, out var matches))
            throw new VmsCallException("generic event", "the echo is not reqNo,chars,matches,name");
        return new GenericEventReceipt(requestNumber, chars, matches, parts.Length == 4 ? parts[3].Trim('[', ']') : "");
    }

    /// <summary>
    /// After the first bytes of an echo without CR LF, how long to wait for the rest: the
    /// documentation shows the echo's fields, not its end, so a real Event Server may send none.
    /// </summary>
    private const int EchoSettleMs = 150;

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[EchoBytesMax];
        var length = 0;
        while (length < buffer.Length)
        {
            int read;
            using (var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                if (length > 0) settle.CancelAfter(EchoSettleMs);
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(length), settle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (length > 0 && !cancellation.IsCancellationRequested)
                {
                    break;
                }
            }
            if (read == 0) break;
            length += read;
            var end = Array.IndexOf(buffer, (byte)'\n', 0, length);
            if (end >= 0) return Encoding.UTF8.GetString(buffer, 0, end).TrimEnd('\r');
        }
        if (length == 0) throw new IOException("closed");
        if (length == buffer.Length) throw new VmsCallException("generic event", $"the echo is over {EchoBytesMax} bytes");
        return Encoding.UTF8.GetString(buffer, 0, length).TrimEnd('\r', '\n');
    }
}
