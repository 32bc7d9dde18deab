using System.Windows.Forms;
using Twinrec.ManagementClient.ViewModels;

namespace Twinrec.ManagementClient.WinForms;

/// <summary>The clusters (name, Serving node, data missing), as the Server Cloning list shows its pairs.</summary>
public sealed class ClusterListControl : UserControl
{
    private readonly ListView list = new() { Dock = DockStyle.Fill, View = View.Details, FullRowSelect = true, MultiSelect = false };

    public ClusterListControl()
    {
        list.Columns.Add("Cluster", 180);
        list.Columns.Add("Serving", 140);
        list.Columns.Add("Data missing", 90);
        Controls.Add(list);
    }

    /// <summary>The selected row, or null.</summary>
    public ClusterRowViewModel? Selected => list.SelectedItems.Count == 1 ? list.SelectedItems[0].Tag as ClusterRowViewModel : null;

    public event System.EventHandler SelectionChanged
    {
        add => list.SelectedIndexChanged += value;
        remove => list.SelectedIndexChanged -= value;
    }

    public void Show(ClusterListViewModel model)
    {
        list.BeginUpdate();
        list.Items.Clear();
        foreach (var cluster in model.Clusters)
            list.Items.Add(new ListViewItem([cluster.Name, cluster.ServingNodeName, cluster.DataMissing ? "yes" : "no"]) { Tag = cluster });
        list.EndUpdate();
    }
}
