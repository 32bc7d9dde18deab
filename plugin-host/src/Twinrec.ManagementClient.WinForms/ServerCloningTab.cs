using System.Windows.Forms;
using Twinrec.ManagementClient.ViewModels;

namespace Twinrec.ManagementClient.WinForms;

/// <summary>
/// The tab in the Server Cloning layout of seed 000: the clusters on the left; on the right the
/// selected cluster's nodes (Switch above them); the Device Overview below.
/// </summary>
public sealed class ServerCloningTab : UserControl
{
    private readonly ControllerConnection connection;
    private readonly ClusterListViewModel clusters;
    private readonly ClusterListControl clusterList = new() { Dock = DockStyle.Fill };
    private readonly FlowLayoutPanel nodes = new() { Dock = DockStyle.Fill, AutoScroll = true };
    private readonly Panel switchHost = new() { Dock = DockStyle.Top, Height = 32 };

    public ServerCloningTab(ControllerConnection connection)
    {
        this.connection = connection;
        clusters = new ClusterListViewModel(connection);
        var overview = new DeviceOverviewControl(new DeviceOverviewViewModel(connection)) { Dock = DockStyle.Fill };
        var top = new SplitContainer { Dock = DockStyle.Fill };
        top.Panel1.Controls.Add(clusterList);
        top.Panel2.Controls.AddRange([nodes, switchHost]);
        var layout = new SplitContainer { Dock = DockStyle.Fill, Orientation = Orientation.Horizontal };
        layout.Panel1.Controls.Add(top);
        layout.Panel2.Controls.Add(overview);
        Controls.Add(layout);
        clusterList.SelectionChanged += async (_, _) => await ShowSelectedAsync();
        Load += async (_, _) =>
        {
            await clusters.RefreshAsync();
            clusterList.Show(clusters);
            await overview.RefreshOverviewAsync();
        };
    }

    private async System.Threading.Tasks.Task ShowSelectedAsync()
    {
        nodes.Controls.Clear();
        switchHost.Controls.Clear();
        if (clusterList.Selected is not { } cluster) return;
        switchHost.Controls.Add(new SwitchButton(new SwitchViewModel(connection, cluster.Id)));
        foreach (var node in cluster.Nodes)
        {
            await node.LoadStoragesAsync(connection);
            var panel = new NodePanelControl { Width = 420, Height = 200 };
            panel.Show(node);
            nodes.Controls.Add(panel);
        }
    }
}
