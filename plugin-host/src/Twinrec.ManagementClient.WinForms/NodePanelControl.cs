using System.Windows.Forms;
using Twinrec.ManagementClient.ViewModels;

namespace Twinrec.ManagementClient.WinForms;

/// <summary>One node: HA status, host, uptime, ping and its storages.</summary>
public sealed class NodePanelControl : UserControl
{
    private readonly Label header = new() { Dock = DockStyle.Top, AutoSize = true, Font = new System.Drawing.Font(System.Drawing.SystemFonts.DefaultFont, System.Drawing.FontStyle.Bold) };
    private readonly Label details = new() { Dock = DockStyle.Top, AutoSize = true };
    private readonly ListView storages = new() { Dock = DockStyle.Fill, View = View.Details };

    public NodePanelControl()
    {
        storages.Columns.Add("Storage", 120);
        storages.Columns.Add("Path", 160);
        storages.Columns.Add("Available", 70);
        storages.Columns.Add("Used of size (GB)", 120);
        Controls.AddRange([storages, details, header]);
    }

    public void Show(NodePanelViewModel node)
    {
        header.Text = $"{node.Name}: {node.HaStatus}";
        details.Text = $"Host {node.HostName}   Uptime {node.Uptime}   Ping {node.Ping}" + (node.PlaceholderSeconds is > 0 ? $"   Placeholders {node.PlaceholderSeconds:0} s" : "");
        storages.Items.Clear();
        foreach (var s in node.Storages)
            storages.Items.Add(new ListViewItem([s.Name, s.Path, s.Available ? "yes" : "no", $"{s.UsedSpaceBytes / 1e9:0.0} of {s.SizeBytes / 1e9:0.0}"]));
    }
}
