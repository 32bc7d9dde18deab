using System;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>Focus on one node of a cluster: its own live view and configuration addresses (POST /clusters/{id}/focus).</summary>
public sealed class FocusViewModel(ControllerConnection connection, Guid clusterId) : ViewModelBase
{
    private Focus? focus;
    private ApiError? error;

    public Focus? Current { get => focus; private set => Set(ref focus, value); }
    public ApiError? Error { get => error; private set => Set(ref error, value); }

    public async Task FocusAsync(Guid nodeId, CancellationToken cancellation = default)
    {
        try
        {
            Current = await connection.Api.SetFocusAsync(new FocusRequest { NodeId = nodeId }, clusterId, cancellation).ConfigureAwait(false);
            Error = null;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            Error = ApiError.From(err);
        }
    }
}
