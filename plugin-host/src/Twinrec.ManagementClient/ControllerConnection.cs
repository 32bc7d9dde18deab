using System;
using System.Net.Http;
using System.Net.Http.Headers;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient;

/// <summary>
/// The controller as one signed-in API token sees it: the generated client over an HttpClient
/// that sends `Authorization: Bearer trk_…` with every request, bounded by a timeout.
/// </summary>
public sealed class ControllerConnection : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;

    public ControllerConnection(Uri controllerUrl, string apiToken, HttpMessageHandler? handler = null)
    {
        if (!controllerUrl.IsAbsoluteUri || (controllerUrl.Scheme != Uri.UriSchemeHttp && controllerUrl.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException("the controller URL must be an absolute http(s) URL", nameof(controllerUrl));
        if (string.IsNullOrWhiteSpace(apiToken)) throw new ArgumentException("an API token is required", nameof(apiToken));
        http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = new Uri(controllerUrl.GetLeftPart(UriPartial.Authority) + "/");
        http.Timeout = RequestTimeout;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken.Trim());
        // Keep each answer's text, so a refusal's problem+json (its type, title, detail) can be shown.
        Api = new TwinrecApiClient(http) { ReadResponseAsString = true };
    }

    public ITwinrecApiClient Api { get; }

    public void Dispose() => http.Dispose();
}
