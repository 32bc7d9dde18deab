using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.Bridge.Configuration;
using Twinrec.Bridge.GenericEvents;
using Twinrec.Bridge.Idp;
using Twinrec.Bridge.RecorderStatus;
using Twinrec.Bridge.ServerCommand;

namespace Twinrec.Bridge;

/// <summary>
/// <see cref="IVms"/> over Milestone's documented protocols: the IDP (OAuth 2), the
/// configuration REST API, ServerCommandServiceOAuth (WCF), RecorderStatusService2 (SOAP) and
/// the Event Server's generic-event data source (TCP). Runs wherever .NET runs.
/// </summary>
public sealed class ProtocolVms : IVms, IDisposable
{
    /// <summary>Bound on any one answer read into memory.</summary>
    private const long AnswerBytesMax = 16 * 1024 * 1024;
    /// <summary>Renew a token this long before it ends (or at half its life, if sooner).</summary>
    private static readonly TimeSpan RenewMargin = TimeSpan.FromSeconds(60);

    private readonly VmsConnection connection;
    private readonly HttpClient http;
    private readonly IdpTokenClient idp;
    private readonly VmsTokenClient vmsTokens;
    private readonly ConfigurationApiClient configuration;
    private readonly RecorderStatusClient recorderStatus;
    /// <summary>Identifies this client to ServerCommandService across renewals.</summary>
    private readonly Guid instanceId = Guid.NewGuid();
    private readonly SemaphoreSlim loginGate = new(1, 1);
    private Tokens? tokens;

    private sealed record Tokens(IdpToken Idp, TimeSpan IdpRenewAt, LoginInfo Vms, TimeSpan VmsRenewAt);

    public ProtocolVms(VmsConnection connection)
    {
        this.connection = connection.Validated();
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false })
        {
            Timeout = TimeSpan.FromMilliseconds(connection.RequestTimeoutMs),
            MaxResponseContentBufferSize = AnswerBytesMax,
        };
        idp = new IdpTokenClient(http, this.connection);
        vmsTokens = new VmsTokenClient(this.connection);
        configuration = new ConfigurationApiClient(http, this.connection);
        recorderStatus = new RecorderStatusClient(http);
    }

    public async Task<VmsLogin> LoginAsync(CancellationToken cancellation)
    {
        var fresh = await LogInAsync(renewOnly: false, cancellation).ConfigureAwait(false);
        var ttlMs = (fresh.Vms.TimeToLive?.MicroSeconds ?? 0) / 1000;
        return new VmsLogin(fresh.Vms.Token!, ttlMs, new DateTimeOffset(DateTime.SpecifyKind(fresh.Vms.RegistrationTime, DateTimeKind.Utc)), fresh.Idp.ExpiresInSeconds);
    }

    public async Task<IReadOnlyList<RecordingServer>> ListRecordingServersAsync(CancellationToken cancellation)
    {
        var current = await ValidTokensAsync(cancellation).ConfigureAwait(false);
        return await Call(() => configuration.ListRecordingServersAsync(current.Idp.AccessToken, cancellation), "configuration API").ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CameraStatus>> GetCurrentDeviceStatusAsync(Uri recorderWebServerUri, IReadOnlyList<Guid> deviceIds, CancellationToken cancellation)
    {
        var current = await ValidTokensAsync(cancellation).ConfigureAwait(false);
        return await Call(() => recorderStatus.GetCurrentDeviceStatusAsync(recorderWebServerUri, current.Vms.Token!, deviceIds, cancellation), "GetCurrentDeviceStatus").ConfigureAwait(false);
    }

    public Task<GenericEventReceipt> SendGenericEventAsync(GenericEventTarget target, string text, CancellationToken cancellation) =>
        GenericEventSender.SendAsync(target, text, cancellation);

    public void Dispose()
    {
        http.Dispose();
        loginGate.Dispose();
    }

    private async Task<Tokens> ValidTokensAsync(CancellationToken cancellation)
    {
        var now = Stopwatch.GetElapsedTime(0);
        var current = tokens;
        if (current is not null && now < current.IdpRenewAt && now < current.VmsRenewAt) return current;
        return await LogInAsync(renewOnly: true, cancellation).ConfigureAwait(false);
    }

    /// <summary>A new IDP token, then Login (renewing the current VMS token when there is one).</summary>
    private async Task<Tokens> LogInAsync(bool renewOnly, CancellationToken cancellation)
    {
        await loginGate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var now = Stopwatch.GetElapsedTime(0);
            // A parallel caller may have renewed them while this one waited.
            if (renewOnly && tokens is { } current && now < current.IdpRenewAt && now < current.VmsRenewAt) return current;
            var idpToken = await Call(() => idp.RequestAsync(cancellation), "IDP token request").ConfigureAwait(false);
            var info = await vmsTokens.LoginAsync(idpToken.AccessToken, instanceId, tokens?.Vms.Token, cancellation).ConfigureAwait(false);
            if (string.IsNullOrEmpty(info.Token)) throw new VmsCallException("ServerCommandServiceOAuth Login", "no Token in LoginInfo");
            var vmsLife = TimeSpan.FromMilliseconds(Math.Max(0, (info.TimeToLive?.MicroSeconds ?? 0) / 1000));
            var idpLife = TimeSpan.FromSeconds(idpToken.ExpiresInSeconds);
            tokens = new Tokens(idpToken, now + RenewAt(idpLife), info, now + RenewAt(vmsLife));
            return tokens;
        }
        finally
        {
            loginGate.Release();
        }
    }

    private static TimeSpan RenewAt(TimeSpan life) => life - (RenewMargin < life / 2 ? RenewMargin : life / 2);

    /// <summary>Turns transport failures into VmsCallException with a short reason.</summary>
    private async Task<T> Call<T>(Func<Task<T>> call, string operation)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpRequestException err)
        {
            throw new VmsCallException(operation, err.HttpRequestError == HttpRequestError.Unknown ? err.Message : err.HttpRequestError.ToString(), err);
        }
        catch (TaskCanceledException err) when (err.InnerException is TimeoutException)
        {
            throw new VmsCallException(operation, $"no answer within {connection.RequestTimeoutMs} ms", err);
        }
    }
}
