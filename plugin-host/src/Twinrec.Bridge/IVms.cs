using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Twinrec.Bridge;

/// <summary>
/// The VMS operations twinrec needs, one implementation per way of reaching XProtect:
/// <see cref="ProtocolVms"/> (Milestone's documented HTTP and SOAP protocols, runs anywhere) and
/// MipSdkVms (the MIP SDK, Windows only; compiled with TwinrecMipSdk=true).
/// </summary>
public interface IVms
{
    /// <summary>
    /// Logs in: an IDP access token (OAuth 2 password grant), then the VMS token from
    /// ServerCommandServiceOAuth Login. Later calls use both; a second call renews the VMS token.
    /// </summary>
    Task<VmsLogin> LoginAsync(CancellationToken cancellation);

    /// <summary>The recording servers with their hardware and cameras (configuration REST API, IDP token).</summary>
    Task<IReadOnlyList<RecordingServer>> ListRecordingServersAsync(CancellationToken cancellation);

    /// <summary>RecorderStatusService2 GetCurrentDeviceStatus for the given devices (VMS token).</summary>
    Task<IReadOnlyList<CameraStatus>> GetCurrentDeviceStatusAsync(Uri recorderWebServerUri, IReadOnlyList<Guid> deviceIds, CancellationToken cancellation);

    /// <summary>Sends one generic event to the Event Server's International data source (TCP, UTF-8, CR LF).</summary>
    Task<GenericEventReceipt> SendGenericEventAsync(GenericEventTarget target, string text, CancellationToken cancellation);
}

/// <summary>The outcome of a login: the VMS token (for recorders and the Event Server) and both lifetimes.</summary>
/// <param name="VmsToken">`TOKEN#&lt;guid&gt;#&lt;host&gt;//ServerConnector#` on a real XProtect.</param>
/// <param name="VmsTokenTimeToLiveMs">LoginInfo.TimeToLive (4 h by default on XProtect).</param>
/// <param name="IdpTokenExpiresInSeconds">The IDP's `expires_in`.</param>
public sealed record VmsLogin(string VmsToken, long VmsTokenTimeToLiveMs, DateTimeOffset VmsTokenRegistrationTime, long IdpTokenExpiresInSeconds);

/// <summary>A recording server as the configuration API lists it.</summary>
public sealed record RecordingServer(Guid Id, string Name, string HostName, Uri? WebServerUri, bool Enabled, IReadOnlyList<Hardware> Hardware);

/// <summary>A hardware device (a camera's box) under a recording server.</summary>
public sealed record Hardware(Guid Id, string Name, string? Address, bool Enabled, IReadOnlyList<Camera> Cameras);

/// <summary>A camera under a hardware device.</summary>
public sealed record Camera(Guid Id, string Name, bool Enabled);

/// <summary>One camera's status (RecorderStatusService2 MediaStreamDeviceStatusBase fields).</summary>
public sealed record CameraStatus(
    Guid DeviceId,
    DateTimeOffset Time,
    bool Enabled,
    bool Started,
    bool Recording,
    bool Motion,
    bool Error,
    bool ErrorNoConnection,
    bool ErrorNotLicensed,
    bool ErrorOverflow,
    bool ErrorWritingGop,
    bool DbMoveInProgress,
    bool DbRepairInProgress,
    bool IsChange);

/// <summary>Where the Event Server's generic-event data source listens.</summary>
/// <param name="Port">1235 for the default International data source (DOC-GE).</param>
/// <param name="ReadTimeoutMs">How long to wait for the statistics echo (Send-GenericEvent's default: 2000).</param>
public sealed record GenericEventTarget(string Host, int Port, int ReadTimeoutMs);

/// <summary>The International data source's echo: `[reqNo],[chars],[matches],[event name]`.</summary>
/// <param name="Matches">0: no generic event's expression matched the text.</param>
public sealed record GenericEventReceipt(long RequestNumber, long Chars, long Matches, string EventName);
