using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>A node's panel: HA status, host, uptime, ping, and (loaded on demand) its storages.</summary>
public sealed class NodePanelViewModel(Guid clusterId, NodeSummary node) : ViewModelBase
{
    private IReadOnlyList<StorageRow> storages = [];

    public Guid ClusterId { get; } = clusterId;
    public Guid Id { get; } = node.Id;
    public string Name { get; } = node.Name;
    /// <summary>Serving, Standby or Unknown.</summary>
    public string HaStatus { get; } = node.HaStatus.ToString();
    public string HostName { get; } = node.HostName;
    public string Uptime { get; } = node.UptimeSeconds is { } s ? FormatDuration(TimeSpan.FromSeconds(s)) : "—";
    public string Ping { get; } = node.Ping?.AvgMs is { } avg ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} ms (max {1:0.#} ms)", avg, node.Ping.MaxMs ?? avg) : "—";
    /// <summary>Seconds of recordings shown as placeholders (a backfill in progress), when its agent reports one.</summary>
    public double? PlaceholderSeconds { get; } = node.Backfill?.PlaceholderSeconds;
    public IReadOnlyList<StorageRow> Storages { get => storages; private set => Set(ref storages, value); }

    /// <summary>GET /clusters/{id}/nodes/{nodeId}: the storages its agent last reported.</summary>
    public async Task LoadStoragesAsync(ControllerConnection connection, CancellationToken cancellation = default)
    {
        var detail = await connection.Api.GetNodeAsync(ClusterId, Id, cancellation).ConfigureAwait(false);
        Storages = detail.Storages.Select(s => new StorageRow(s.Name, s.Path, s.Available, s.UsedSpaceBytes, s.SizeBytes)).ToList();
    }

    internal static string FormatDuration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{(int)span.TotalMinutes} min {span.Seconds} s";
}

/// <summary>One storage of a node, as its recorder reports it.</summary>
public sealed record StorageRow(string Name, string Path, bool Available, double UsedSpaceBytes, double SizeBytes);
