using System;
using System.Windows.Forms;
using Twinrec.ManagementClient.ViewModels;

namespace Twinrec.ManagementClient.WinForms;

/// <summary>Controller URL and API token, and a Sign in button; raises SignedIn with the connection.</summary>
public sealed class SignInControl : UserControl
{
    private readonly SignInViewModel model = new();
    private readonly TextBox url = new() { Dock = DockStyle.Top };
    private readonly TextBox token = new() { Dock = DockStyle.Top, UseSystemPasswordChar = true };
    private readonly Button signIn = new() { Dock = DockStyle.Top, Text = "Sign in" };
    private readonly Label status = new() { Dock = DockStyle.Top, AutoSize = true };

    public event EventHandler<ControllerConnection>? SignedIn;

    public SignInControl()
    {
        url.DataBindings.Add(nameof(TextBox.Text), model, nameof(SignInViewModel.ControllerUrl), false, DataSourceUpdateMode.OnPropertyChanged);
        token.DataBindings.Add(nameof(TextBox.Text), model, nameof(SignInViewModel.ApiToken), false, DataSourceUpdateMode.OnPropertyChanged);
        signIn.Click += async (_, _) =>
        {
            signIn.Enabled = false;
            var connection = await model.SignInAsync();
            signIn.Enabled = true;
            status.Text = connection is null ? model.Error?.Message ?? "" : $"Signed in as {model.SignedInAs}";
            if (connection is not null) SignedIn?.Invoke(this, connection);
        };
        Controls.AddRange([status, signIn, token, new Label { Text = "API token", Dock = DockStyle.Top }, url, new Label { Text = "twinrec controller", Dock = DockStyle.Top }]);
    }
}
