using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Twinrec.Bridge.Edge;

/// <summary>
/// What Node calls through edge-js: each method takes one JSON string and resolves to one JSON
/// string (edge-js's `Func&lt;object, Task&lt;object&gt;&gt;`). Every request names its connection;
/// one <see cref="IVms"/> is kept per connection, so its tokens are reused and renewed.
/// </summary>
/// <example>
/// const login = edge.func({ assemblyFile: 'Twinrec.Bridge.dll', typeName: 'Twinrec.Bridge.Edge.EdgeEntry', methodName: 'Login' });
/// login(JSON.stringify({ connection: { managementServerUrl: 'http://ms/', username: 'u', password: 'p' } }), cb);
/// </example>
public sealed class EdgeEntry
{
    /// <summary>Bound on the connections kept at once (one per Management Server and user in practice).</summary>
    public const int ConnectionsMax = 16;
    public const int RequestTimeoutMsDefault = 10_000;
    public const int GenericEventReadTimeoutMsDefault = 2_000;
    public const int RequestCharsMax = 1024 * 1024;

    private static readonly ConcurrentDictionary<string, Lazy<IVms>> Connections = new();
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<object> Login(object input)
    {
        var request = Parse<ConnectionRequest>(input);
        return Answer(await VmsFor(request.Connection).LoginAsync(CancellationToken.None).ConfigureAwait(false));
    }

    public async Task<object> ListRecordingServers(object input)
    {
        var request = Parse<ConnectionRequest>(input);
        return Answer(await VmsFor(request.Connection).ListRecordingServersAsync(CancellationToken.None).ConfigureAwait(false));
    }

    public async Task<object> GetCurrentDeviceStatus(object input)
    {
        var request = Parse<DeviceStatusRequest>(input);
        if (request.RecorderWebServerUri is null || !request.RecorderWebServerUri.IsAbsoluteUri)
            throw new BridgeInputException("recorderWebServerUri must be an absolute URL");
        var status = await VmsFor(request.Connection)
            .GetCurrentDeviceStatusAsync(request.RecorderWebServerUri, request.DeviceIds ?? [], CancellationToken.None)
            .ConfigureAwait(false);
        return Answer(status);
    }

    public async Task<object> SendGenericEvent(object input)
    {
        var request = Parse<GenericEventRequest>(input);
        if (string.IsNullOrEmpty(request.Host)) throw new BridgeInputException("host is required");
        var target = new GenericEventTarget(request.Host, request.Port ?? 1235, request.ReadTimeoutMs ?? GenericEventReadTimeoutMsDefault);
        // The Event Server's data source takes no login: without a connection the event goes straight out.
        var receipt = request.Connection is null
            ? await GenericEvents.GenericEventSender.SendAsync(target, request.Text ?? "", CancellationToken.None).ConfigureAwait(false)
            : await VmsFor(request.Connection).SendGenericEventAsync(target, request.Text ?? "", CancellationToken.None).ConfigureAwait(false);
        return Answer(receipt);
    }

    internal sealed record ConnectionJson(string? ManagementServerUrl, string? Username, string? Password, int? RequestTimeoutMs);
    internal sealed record ConnectionRequest(ConnectionJson? Connection);
    internal sealed record DeviceStatusRequest(ConnectionJson? Connection, Uri? RecorderWebServerUri, List<Guid>? DeviceIds);
    internal sealed record GenericEventRequest(ConnectionJson? Connection, string? Host, int? Port, int? ReadTimeoutMs, string? Text);

    internal static T Parse<T>(object input)
    {
        if (input is not string text) throw new BridgeInputException("the request must be one JSON string");
        if (text.Length > RequestCharsMax) throw new BridgeInputException($"the request is over {RequestCharsMax} characters");
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new BridgeInputException("the request is null");
        }
        catch (JsonException err)
        {
            throw new BridgeInputException($"the request is not valid JSON: {err.Message}");
        }
    }

    private static string Answer<T>(T value) => JsonSerializer.Serialize(value, Json);

    internal static VmsConnection ToConnection(ConnectionJson? json)
    {
        if (json is null) throw new BridgeInputException("connection is required");
        if (!Uri.TryCreate(json.ManagementServerUrl, UriKind.Absolute, out var uri)) throw new BridgeInputException("connection.managementServerUrl must be an absolute URL");
        return new VmsConnection(uri, json.Username ?? "", json.Password!, json.RequestTimeoutMs ?? RequestTimeoutMsDefault).Validated();
    }

    /// <summary>The IVms of a connection, made on first use; keyed without keeping the password in clear.</summary>
    private static IVms VmsFor(ConnectionJson? json)
    {
        var connection = ToConnection(json);
        var passwordHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(connection.Password)));
        var key = $"{connection.ManagementServerUri.AbsoluteUri}\n{connection.Username}\n{passwordHash}\n{connection.RequestTimeoutMs}";
        if (!Connections.ContainsKey(key) && Connections.Count >= ConnectionsMax)
            throw new BridgeInputException($"at most {ConnectionsMax} connections are kept; this one would be one more");
        return Connections.GetOrAdd(key, _ => new Lazy<IVms>(() => new ProtocolVms(connection))).Value;
    }
}
