using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>Backfill progress per node (GET /clusters/{id}/backfill).</summary>
public sealed class BackfillViewModel(ControllerConnection connection, Guid clusterId) : ViewModelBase
{
    private IReadOnlyList<BackfillRow> nodes = [];
    private ApiError? error;

    public IReadOnlyList<BackfillRow> Nodes { get => nodes; private set => Set(ref nodes, value); }
    public ApiError? Error { get => error; private set => Set(ref error, value); }

    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        try
        {
            var backfill = await connection.Api.GetClusterBackfillAsync(clusterId, cancellation).ConfigureAwait(false);
            Nodes = backfill.Nodes.Select(BackfillRow.From).ToList();
            Error = null;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            Error = ApiError.From(err);
        }
    }
}

/// <summary>One node's backfill in words: state, missing seconds, and bytes done of total.</summary>
public sealed record BackfillRow(string NodeName, string State, double MissingSeconds, string Progress)
{
    public static BackfillRow From(NodeBackfill node)
    {
        var b = node.Backfill;
        if (b is null) return new BackfillRow(node.Name, "not reported", 0, "—");
        var progress = b.BytesTotal > 0 ? string.Format(CultureInfo.InvariantCulture, "{0:0}% ({1} of {2} bytes)", 100.0 * b.BytesDone / b.BytesTotal, b.BytesDone, b.BytesTotal) : "—";
        return new BackfillRow(node.Name, b.State.ToString(), b.MissingSeconds, progress);
    }
}
