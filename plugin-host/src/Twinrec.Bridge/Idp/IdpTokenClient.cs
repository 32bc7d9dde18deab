using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Twinrec.Bridge.Idp;

/// <summary>An IDP access token and how long the IDP said it lives.</summary>
public sealed record IdpToken(string AccessToken, long ExpiresInSeconds);

/// <summary>
/// OAuth 2 password grant at the Management Server's Identity Provider, client
/// GrantValidatorClient, as Milestone's protocol sample does (mipsdk-samples-protocol
/// ServerCommandWrapper/OAuth/IdpClientProxy.cs: POST &lt;ms&gt;/IDP/connect/token).
/// </summary>
public sealed partial class IdpTokenClient(HttpClient http, VmsConnection connection)
{
    public const string TokenPath = "IDP/connect/token";
    /// <summary>Lifetime assumed when the IDP does not say.</summary>
    private const long ExpiresInSecondsDefault = 300;

    public async Task<IdpToken> RequestAsync(CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, connection.Resolve(TokenPath))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = connection.Username,
                ["password"] = connection.Password,
                ["client_id"] = "GrantValidatorClient",
            }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        return Parse((int)response.StatusCode, body);
    }

    /// <summary>The token answer, or a failure whose reason is an OAuth error code or the HTTP status only.</summary>
    internal static IdpToken Parse(int status, string body)
    {
        JsonElement root = default;
        var isJson = false;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
            isJson = root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            // Not JSON: the status says enough.
        }
        if (status != 200)
        {
            // OAuth error codes are short ASCII words (invalid_grant); anything else is not shown.
            var code = isJson && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && OAuthErrorCode().IsMatch(error.GetString()!)
                ? error.GetString()!
                : $"HTTP {status}";
            throw new VmsCallException("IDP token request", code);
        }
        if (!isJson || !root.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String || token.GetString() is not { Length: > 0 } accessToken)
            throw new VmsCallException("IDP token request", "no access_token in the answer");
        var expiresIn = root.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number && expires.TryGetInt64(out var seconds) && seconds > 0
            ? seconds
            : ExpiresInSecondsDefault;
        return new IdpToken(accessToken, expiresIn);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex OAuthErrorCode();
}
