#if TWINREC_MIP_SDK
// The MIP glue: compiled only with -p:TwinrecMipSdk=true where MilestoneSystems.VideoOS.Platform
// can be restored (not on this project's machines: plugin-host/README.md). Never compiled here;
// it follows Milestone's SensorMonitor sample (mipsdk-samples-plugin): a node of our own (ItemNode
// + ItemManager), since no sample shows a TabPlugin on a recording server.
using System;
using System.Collections.Generic;
using System.Drawing;
using System.Windows.Forms;
using VideoOS.Platform;
using VideoOS.Platform.Admin;

namespace Twinrec.ManagementClient.WinForms.Mip;

/// <summary>The plug-in: one "twinrec clusters" node in the Management Client's tree.</summary>
public sealed class TwinrecPluginDefinition : PluginDefinition
{
    internal static readonly Guid PluginId = new("3f5b8a64-2f0e-4d6e-9a51-7c0e1b7d2a10");
    internal static readonly Guid ClusterKind = new("9c2d1e7a-5b44-4f0a-8e63-2a9d4c1b6f35");
    private List<ItemNode> itemNodes = [];

    public override Guid Id => PluginId;
    public override string Name => "twinrec";
    public override string Manufacturer => "twinrec";
    public override string VersionString => "0.1.0";
    public override Image Icon => SystemIcons.Shield.ToBitmap();
    public override List<ItemNode> ItemNodes => itemNodes;

    public override void Init()
    {
        itemNodes =
        [
            new ItemNode(ClusterKind, Guid.Empty, "twinrec cluster", Icon, "twinrec clusters", Icon, Category.Text, true, ItemsAllowed.One, new TwinrecItemManager(ClusterKind), null)
            {
                // Two actions at least, or the Smart Client does not show the node (xprotect-integration.md 5).
                SecurityActions = [new SecurityAction("GENERIC_WRITE", "Manage"), new SecurityAction("GENERIC_READ", "Read")],
            },
        ];
    }

    public override void Close() => itemNodes.Clear();

    public override UserControl GenerateUserControl() => new TwinrecTab();
}

/// <summary>Shows the sign-in, then the Server Cloning tab, for the node.</summary>
internal sealed class TwinrecItemManager(Guid kind) : ItemManager
{
    public override void Init() { }
    public override void Close() { }
    public override UserControl GenerateDetailUserControl() => new TwinrecTab();
    public override void ClearUserControl() { }
    public override void FillUserControl(Item item) { }
    public override string GetItemName() => "twinrec";
    public override void SetItemName(string name) { }
    public override bool ValidateAndSaveUserControl() => true;
    public override Item CreateItem(Item parentItem, FQID suggestedFQID) => new(suggestedFQID, "twinrec");
    public override void DeleteItem(Item item) { }
    public override List<Item> GetItems() => [new Item(new FQID(EnvironmentManager.Instance.MasterSite.ServerId, Guid.Empty, TwinrecPluginDefinition.PluginId, FolderType.No, kind), "twinrec")];
    public override List<Item> GetItems(Item parentItem) => GetItems();
    public override Item GetItem(FQID fqid) => GetItems()[0];
}

/// <summary>Sign in with an API token; then the tab (nothing is stored: the token lives in memory only).</summary>
internal sealed class TwinrecTab : UserControl
{
    public TwinrecTab()
    {
        var signIn = new SignInControl { Dock = DockStyle.Fill };
        signIn.SignedIn += (_, connection) =>
        {
            Controls.Clear();
            Controls.Add(new ServerCloningTab(connection) { Dock = DockStyle.Fill });
        };
        Controls.Add(signIn);
    }
}
#endif
