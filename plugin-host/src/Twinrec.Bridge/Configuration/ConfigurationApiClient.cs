using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Twinrec.Bridge.Configuration;

/// <summary>
/// The configuration REST API (API Gateway) with the IDP token: `GET /api/rest/v1/{plural}`,
/// lists answered as `{"array":[…]}`, `?disabled` to include disabled items (mipsdk-samples-protocol
/// RestfulCommunicationPython; xprotect-integration.md 3.3).
/// </summary>
public sealed class ConfigurationApiClient(HttpClient http, VmsConnection connection)
{
    public const string BasePath = "api/rest/v1/";
    /// <summary>Bound on the items of one list and on the hardware of one recording server walked.</summary>
    public const int ItemsMax = 10_000;

    public async Task<IReadOnlyList<RecordingServer>> ListRecordingServersAsync(string accessToken, CancellationToken cancellation)
    {
        var servers = new List<RecordingServer>();
        foreach (var rs in await GetArrayAsync("recordingServers?disabled", accessToken, cancellation).ConfigureAwait(false))
        {
            var rsId = RestFields.Id(rs);
            var hardware = new List<Hardware>();
            foreach (var hw in await GetArrayAsync($"recordingServers/{rsId}/hardware?disabled", accessToken, cancellation).ConfigureAwait(false))
            {
                var hwId = RestFields.Id(hw);
                var cameras = new List<Camera>();
                foreach (var camera in await GetArrayAsync($"hardware/{hwId}/cameras?disabled", accessToken, cancellation).ConfigureAwait(false))
                    cameras.Add(new Camera(RestFields.Id(camera), RestFields.Name(camera), RestFields.Bool(camera, "enabled")));
                hardware.Add(new Hardware(hwId, RestFields.Name(hw), RestFields.String(hw, "address"), RestFields.Bool(hw, "enabled"), cameras));
            }
            servers.Add(new RecordingServer(rsId, RestFields.Name(rs), RestFields.String(rs, "hostName") ?? "", RestFields.Uri(rs, "webServerUri"), RestFields.Bool(rs, "enabled"), hardware));
        }
        return servers;
    }

    private async Task<IReadOnlyList<JsonElement>> GetArrayAsync(string relativePath, string accessToken, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, connection.Resolve(BasePath + relativePath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        var path = relativePath.Split('?')[0];
        if (!response.IsSuccessStatusCode)
            throw new VmsCallException($"GET {path}", $"HTTP {(int)response.StatusCode}");
        return RestFields.Array(body, path);
    }
}

/// <summary>Reading the API Gateway's JSON: refuses answers that lack what a caller relies on.</summary>
internal static class RestFields
{
    public static IReadOnlyList<JsonElement> Array(string body, string path)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw new VmsCallException($"GET {path}", "the answer is not JSON");
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("array", out var array) || array.ValueKind != JsonValueKind.Array)
            throw new VmsCallException($"GET {path}", "the answer has no \"array\"");
        if (array.GetArrayLength() > ConfigurationApiClient.ItemsMax)
            throw new VmsCallException($"GET {path}", $"more than {ConfigurationApiClient.ItemsMax} items");
        var items = new List<JsonElement>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw new VmsCallException($"GET {path}", "an item is not an object");
            items.Add(item);
        }
        return items;
    }

    public static Guid Id(JsonElement item) =>
        item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var guid)
            ? guid
            : throw new VmsCallException("configuration API", "an item has no GUID id");

    /// <summary>name, else displayName, else the id (as the agent's camera names read them).</summary>
    public static string Name(JsonElement item) => String(item, "name") ?? String(item, "displayName") ?? Id(item).ToString();

    public static string? String(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Bool(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.True;

    public static Uri? Uri(JsonElement item, string field) =>
        String(item, field) is { } text && System.Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
}
