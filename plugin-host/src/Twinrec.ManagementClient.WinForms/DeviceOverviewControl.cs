using System.Windows.Forms;
using Twinrec.ManagementClient.ViewModels;

namespace Twinrec.ManagementClient.WinForms;

/// <summary>The Device Overview grid with its "Problems only" filter.</summary>
public sealed class DeviceOverviewControl : UserControl
{
    private readonly DeviceOverviewViewModel model;
    private readonly CheckBox problemsOnly = new() { Dock = DockStyle.Top, Text = "Problems only" };
    private readonly DataGridView grid = new() { Dock = DockStyle.Fill, ReadOnly = true, AutoGenerateColumns = true, AllowUserToAddRows = false };

    public DeviceOverviewControl(DeviceOverviewViewModel model)
    {
        this.model = model;
        problemsOnly.DataBindings.Add(nameof(CheckBox.Checked), model, nameof(DeviceOverviewViewModel.ProblemsOnly), false, DataSourceUpdateMode.OnPropertyChanged);
        problemsOnly.CheckedChanged += async (_, _) => await RefreshOverviewAsync();
        grid.DataSource = new BindingSource { DataSource = model.Cameras };
        Controls.AddRange([grid, problemsOnly]);
    }

    public async System.Threading.Tasks.Task RefreshOverviewAsync()
    {
        await model.RefreshAsync();
        if (model.Error is not null) MessageBox.Show(this, model.Error.Message, "Device Overview", MessageBoxButtons.OK, MessageBoxIcon.Warning);
    }
}
