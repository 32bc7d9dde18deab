using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>
/// Switch with confirmation: Prepare reads the cluster's live state and says what will happen
/// ("Hand the Serving role from A to B?"); only Confirm sends POST /clusters/{id}/switch.
/// </summary>
public sealed class SwitchViewModel(ControllerConnection connection, Guid clusterId) : ViewModelBase
{
    private string confirmationText = "";
    private bool canConfirm;
    private string outcome = "";
    private ApiError? error;

    public Guid ClusterId { get; } = clusterId;
    public string ConfirmationText { get => confirmationText; private set => Set(ref confirmationText, value); }
    public bool CanConfirm { get => canConfirm; private set => Set(ref canConfirm, value); }
    /// <summary>Switch even when the standby lacks recordings the Serving node holds (409 target-missing-data otherwise).</summary>
    public bool Force { get; set; }
    public string Outcome { get => outcome; private set => Set(ref outcome, value); }
    public ApiError? Error { get => error; private set => Set(ref error, value); }

    public async Task PrepareAsync(CancellationToken cancellation = default)
    {
        Error = null;
        CanConfirm = false;
        try
        {
            var state = await connection.Api.GetClusterStateAsync(ClusterId, cancellation).ConfigureAwait(false);
            var serving = state.Nodes.FirstOrDefault(n => n.NodeId == state.ServingNodeId);
            var standby = state.Nodes.FirstOrDefault(n => n.NodeId != state.ServingNodeId && n.Reachable);
            if (serving is null || standby is null)
            {
                ConfirmationText = serving is null ? "No node is serving: there is nothing to switch." : "No reachable standby to take the Serving role.";
                return;
            }
            ConfirmationText = $"Hand the Serving role of {state.Name} from {serving.Name} to {standby.Name}?";
            CanConfirm = !state.SwitchInProgress;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            Error = ApiError.From(err);
        }
    }

    /// <summary>Sends the switch; true when the controller accepted it (202).</summary>
    public async Task<bool> ConfirmAsync(CancellationToken cancellation = default)
    {
        if (!CanConfirm) throw new InvalidOperationException("PrepareAsync first: the switch has not been confirmed against the live state");
        Error = null;
        CanConfirm = false;
        try
        {
            var accepted = await connection.Api.SwitchServingAsync(ClusterId, new SwitchRequest { Force = Force, Reason = "Management Client" }, cancellation).ConfigureAwait(false);
            Outcome = $"Switch accepted: from {accepted.From} to {accepted.To}";
            return true;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            Error = ApiError.From(err);
            Outcome = "";
            return false;
        }
    }
}
