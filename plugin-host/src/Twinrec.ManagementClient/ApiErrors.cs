using System;
using Newtonsoft.Json.Linq;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient;

/// <summary>What the tab shows for a failed call: the problem's title and detail, and its stable type.</summary>
public sealed class ApiError
{
    public ApiError(int status, string problemType, string message)
    {
        Status = status;
        ProblemType = problemType;
        Message = message;
    }

    /// <summary>HTTP status; 0 when the controller could not be reached.</summary>
    public int Status { get; }
    /// <summary>`urn:twinrec:problem:…` (e.g. `…:forbidden`, `…:switch-not-possible`), or empty.</summary>
    public string ProblemType { get; }
    public string Message { get; }

    public override string ToString() => Message;

    /// <summary>Reads an RFC 9457 problem+json answer; anything else by its status only.</summary>
    public static ApiError From(Exception error)
    {
        if (error is ApiException api)
        {
            try
            {
                var problem = JObject.Parse(api.Response ?? "");
                var title = (string?)problem["title"] ?? $"HTTP {api.StatusCode}";
                var detail = (string?)problem["detail"];
                return new ApiError(api.StatusCode, (string?)problem["type"] ?? "", detail is null ? title : $"{title}: {detail}");
            }
            catch (Newtonsoft.Json.JsonException)
            {
                return new ApiError(api.StatusCode, "", $"HTTP {api.StatusCode}");
            }
        }
        return new ApiError(0, "", $"the controller could not be reached ({error.GetType().Name})");
    }
}
