#if TWINREC_MIP_SDK
// Compiled only with -p:TwinrecMipSdk=true, where the MIP SDK package can be restored (it is not
// served on this project's machines: see plugin-host/README.md). Never compiled here, so every
// SDK call below follows Milestone's published samples and MilestonePSTools, and is unverified.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.Bridge.GenericEvents;
using VideoOS.Platform;
using VideoOS.Platform.ConfigurationItems;
using VideoOS.Platform.Login;

namespace Twinrec.Bridge.MipSdk;

/// <summary>
/// <see cref="IVms"/> through the MIP SDK (VideoOS.Platform.SDK): what only the SDK offers, such
/// as a Windows user's login (no username: the process's own Windows credentials, Negotiate).
/// Login: Environment.AddServer + Environment.Login, the VMS token from LoginSettingsCache
/// (MilestonePSTools Connect-Vms, Get-VmsToken); configuration: ManagementServer →
/// RecordingServerFolder → HardwareFolder → CameraFolder (Get-VmsRecordingServer, Get-VmsHardware);
/// status: the SDK's RecorderStatusService2 proxy (Get-CurrentDeviceStatus.ps1).
/// </summary>
public sealed class MipSdkVms(VmsConnection connection) : IVms
{
    private static readonly object EnvironmentLock = new();

    public Task<VmsLogin> LoginAsync(CancellationToken cancellation) => Task.Run(() =>
    {
        var uri = connection.ManagementServerUri;
        lock (EnvironmentLock)
        {
            VideoOS.Platform.SDK.Environment.Initialize();
            var credentials = new CredentialCache();
            if (string.IsNullOrEmpty(connection.Username))
                credentials.Add(uri, "Negotiate", CredentialCache.DefaultNetworkCredentials);
            else
                credentials.Add(uri, "Basic", new NetworkCredential(connection.Username, connection.Password));
            VideoOS.Platform.SDK.Environment.AddServer(uri, credentials);
            VideoOS.Platform.SDK.Environment.Login(uri);
        }
        var settings = LoginSettingsCache.GetLoginSettings(uri.Host, uri.Port)
            ?? throw new VmsCallException("MIP SDK login", "no login settings after Login");
        return new VmsLogin(settings.Token, 4 * 60 * 60 * 1000, DateTimeOffset.UtcNow, 0);
    }, cancellation);

    public Task<IReadOnlyList<RecordingServer>> ListRecordingServersAsync(CancellationToken cancellation) => Task.Run<IReadOnlyList<RecordingServer>>(() =>
    {
        var management = new ManagementServer(EnvironmentManager.Instance.MasterSite.ServerId);
        return management.RecordingServerFolder.RecordingServers.Select(rs => new RecordingServer(
            Guid.Parse(rs.Id),
            rs.Name,
            rs.HostName,
            Uri.TryCreate(rs.WebServerUri, UriKind.Absolute, out var web) ? web : null,
            rs.Enabled,
            rs.HardwareFolder.Hardwares.Select(hw => new Hardware(
                Guid.Parse(hw.Id),
                hw.Name,
                hw.Address,
                hw.Enabled,
                hw.CameraFolder.Cameras.Select(c => new Camera(Guid.Parse(c.Id), c.Name, c.Enabled)).ToList())).ToList())).ToList();
    }, cancellation);

    public Task<IReadOnlyList<CameraStatus>> GetCurrentDeviceStatusAsync(Uri recorderWebServerUri, IReadOnlyList<Guid> deviceIds, CancellationToken cancellation) => Task.Run<IReadOnlyList<CameraStatus>>(() =>
    {
        if (deviceIds.Count == 0) throw new BridgeInputException("deviceIds must name at least one device");
        var uri = connection.ManagementServerUri;
        var token = LoginSettingsCache.GetLoginSettings(uri.Host, uri.Port)?.Token
            ?? throw new VmsCallException("GetCurrentDeviceStatus", "not logged in");
        using var service = new VideoOS.Platform.SDK.Proxy.Status2.RecorderStatusService2(recorderWebServerUri);
        var status = service.GetCurrentDeviceStatus(token, deviceIds.ToArray());
        return (status.CameraDeviceStatusArray ?? []).Select(s => new CameraStatus(
            s.DeviceId, new DateTimeOffset(DateTime.SpecifyKind(s.Time, DateTimeKind.Utc)), s.Enabled, s.Started, s.Recording, s.Motion,
            s.Error, s.ErrorNoConnection, s.ErrorNotLicensed, s.ErrorOverflow, s.ErrorWritingGop, s.DbMoveInProgress, s.DbRepairInProgress, s.IsChange)).ToList();
    }, cancellation);

    /// <summary>The SDK has no generic-event call: MilestonePSTools' Send-GenericEvent writes to the data source over TCP too.</summary>
    public Task<GenericEventReceipt> SendGenericEventAsync(GenericEventTarget target, string text, CancellationToken cancellation) =>
        GenericEventSender.SendAsync(target, text, cancellation);
}
#endif
