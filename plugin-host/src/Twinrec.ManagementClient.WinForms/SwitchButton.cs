using System.Windows.Forms;
using Twinrec.ManagementClient.ViewModels;

namespace Twinrec.ManagementClient.WinForms;

/// <summary>"Switch…": asks for confirmation with what the live state says will happen, then switches.</summary>
public sealed class SwitchButton : Button
{
    public SwitchButton(SwitchViewModel model)
    {
        Text = "Switch…";
        Click += async (_, _) =>
        {
            Enabled = false;
            await model.PrepareAsync();
            var answer = model.CanConfirm
                ? MessageBox.Show(this, model.ConfirmationText, "Switch Serving node", MessageBoxButtons.YesNo, MessageBoxIcon.Question)
                : DialogResult.None;
            if (!model.CanConfirm) MessageBox.Show(this, model.Error?.Message ?? model.ConfirmationText, "Switch Serving node", MessageBoxButtons.OK, MessageBoxIcon.Information);
            else if (answer == DialogResult.Yes && !await model.ConfirmAsync())
                MessageBox.Show(this, model.Error?.Message ?? "", "Switch refused", MessageBoxButtons.OK, MessageBoxIcon.Warning);
            Enabled = true;
        };
    }
}
