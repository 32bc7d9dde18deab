using System;

namespace Twinrec.Bridge;

/// <summary>How to reach a Management Server: its base URI and a basic user's credentials.</summary>
/// <param name="ManagementServerUri">e.g. http://ms/ (IDP at /IDP/, REST at /api/rest/v1/, SOAP at /ManagementServer/).</param>
/// <param name="RequestTimeoutMs">Bound on each request.</param>
public sealed record VmsConnection(Uri ManagementServerUri, string Username, string Password, int RequestTimeoutMs)
{
    public const int RequestTimeoutMsMax = 120_000;

    /// <summary>Refuses what no request could use, with a message that names the field.</summary>
    public VmsConnection Validated()
    {
        if (!ManagementServerUri.IsAbsoluteUri || (ManagementServerUri.Scheme != Uri.UriSchemeHttp && ManagementServerUri.Scheme != Uri.UriSchemeHttps))
            throw new BridgeInputException("managementServerUrl must be an absolute http(s) URL");
        if (string.IsNullOrEmpty(Username)) throw new BridgeInputException("username is required");
        if (Password is null) throw new BridgeInputException("password is required");
        if (RequestTimeoutMs <= 0 || RequestTimeoutMs > RequestTimeoutMsMax)
            throw new BridgeInputException($"requestTimeoutMs must be 1..{RequestTimeoutMsMax}");
        return this;
    }

    /// <summary>A path under the Management Server's base URI (which may itself have a path).</summary>
    public Uri Resolve(string relativePath)
    {
        var baseText = ManagementServerUri.AbsoluteUri.EndsWith('/') ? ManagementServerUri.AbsoluteUri : ManagementServerUri.AbsoluteUri + "/";
        return new Uri(new Uri(baseText), relativePath.TrimStart('/'));
    }
}
