using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>The clusters with their Serving node (GET /clusters), as the Server Cloning list shows them.</summary>
public sealed class ClusterListViewModel(ControllerConnection connection) : ViewModelBase
{
    /// <summary>One page is enough for a site: the most the API gives per page (GET /clusters `limit` ≤ 500).</summary>
    public const int ClustersMax = 500;
    private ApiError? error;

    public ObservableCollection<ClusterRowViewModel> Clusters { get; } = new();
    public ApiError? Error { get => error; private set => Set(ref error, value); }

    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        try
        {
            var page = await connection.Api.ListClustersAsync(limit: ClustersMax, cancellationToken: cancellation).ConfigureAwait(false);
            Clusters.Clear();
            foreach (var cluster in page.Items) Clusters.Add(new ClusterRowViewModel(cluster));
            Error = null;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            Error = ApiError.From(err);
        }
    }
}

/// <summary>One cluster: its name, which node serves, whether data is missing, and its nodes' panels.</summary>
public sealed class ClusterRowViewModel
{
    public ClusterRowViewModel(ClusterSummary cluster)
    {
        Id = cluster.Id;
        Name = cluster.Name;
        ServingNodeId = cluster.ServingNodeId;
        Nodes = cluster.Nodes.Select(n => new NodePanelViewModel(cluster.Id, n)).ToList();
        ServingNodeName = Nodes.FirstOrDefault(n => n.Id == cluster.ServingNodeId)?.Name ?? "none";
        DataMissing = cluster.DataMissing;
    }

    public Guid Id { get; }
    public string Name { get; }
    public Guid? ServingNodeId { get; }
    /// <summary>The Serving node's name, or `none`.</summary>
    public string ServingNodeName { get; }
    public bool DataMissing { get; }
    public IReadOnlyList<NodePanelViewModel> Nodes { get; }
}
