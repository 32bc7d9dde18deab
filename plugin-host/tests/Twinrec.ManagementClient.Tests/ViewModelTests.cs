using System;
using System.Linq;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;
using Twinrec.ManagementClient.ViewModels;
using Xunit;

namespace Twinrec.ManagementClient.Tests;

/// <summary>The tab's view models against a real controller (the demo), through the generated client.</summary>
public class ViewModelTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    private static readonly TimeSpan WaitMax = TimeSpan.FromSeconds(120);

    /// <summary>Polls until `probe` gives a value, or fails after WaitMax saying what it waited for.</summary>
    private async Task<T> WaitFor<T>(string what, Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + WaitMax;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}\n{demo.Tail()}");
            await Task.Delay(500);
        }
    }

    private async Task<ClusterRowViewModel> ServingClusterAsync(ControllerConnection connection)
    {
        var list = new ClusterListViewModel(connection);
        return await WaitFor("a cluster with a Serving node", async () =>
        {
            await list.RefreshAsync();
            Assert.Null(list.Error);
            return list.Clusters.FirstOrDefault(c => c.ServingNodeId is not null && c.Nodes.Count == 2);
        });
    }

    [Fact]
    public async Task Signing_in_with_a_token_shows_the_account_and_role_and_a_wrong_token_is_refused()
    {
        var signIn = new SignInViewModel { ControllerUrl = demo.ControllerUrl.ToString(), ApiToken = demo.ViewerToken };
        using (var connection = await signIn.SignInAsync())
        {
            Assert.NotNull(connection);
            Assert.Equal(SessionRole.Viewer, signIn.Role);
            Assert.Equal("admin (viewer)", signIn.SignedInAs);
        }
        var wrong = new SignInViewModel { ControllerUrl = demo.ControllerUrl.ToString(), ApiToken = "trk_not-a-token" };
        Assert.Null(await wrong.SignInAsync());
        Assert.Equal(401, wrong.Error?.Status);
    }

    [Fact]
    public async Task A_switch_through_the_view_model_moves_the_Serving_node()
    {
        using var connection = new ControllerConnection(demo.ControllerUrl, demo.OperatorToken);
        var cluster = await ServingClusterAsync(connection);
        var from = cluster.Nodes.Single(n => n.Id == cluster.ServingNodeId);
        var to = cluster.Nodes.Single(n => n.Id != cluster.ServingNodeId);
        var switcher = new SwitchViewModel(connection, cluster.Id);
        // The standby may not be ready yet (its agent still starting): the tab shows why, and the user tries again.
        await WaitFor("the switch to be accepted", async () =>
        {
            await switcher.PrepareAsync();
            if (!switcher.CanConfirm) return null;
            Assert.Equal($"Hand the Serving role of {cluster.Name} from {from.Name} to {to.Name}?", switcher.ConfirmationText);
            if (await switcher.ConfirmAsync()) return switcher.Outcome;
            // A standby that lacks recordings is switched to only when the user says so (Force).
            if (switcher.Error?.ProblemType.EndsWith(":target-missing-data", StringComparison.Ordinal) == true) switcher.Force = true;
            return null;
        });
        var moved = await WaitFor("the Serving node to move", async () =>
        {
            var now = await ServingClusterAsync(connection);
            return now.ServingNodeId == to.Id ? now : null;
        });
        Assert.Equal(to.Name, moved.ServingNodeName);
    }

    [Fact]
    public async Task A_viewer_token_cannot_switch()
    {
        using var connection = new ControllerConnection(demo.ControllerUrl, demo.ViewerToken);
        var cluster = await ServingClusterAsync(connection);
        var switcher = new SwitchViewModel(connection, cluster.Id);
        await WaitFor("a switch to confirm", async () =>
        {
            await switcher.PrepareAsync();
            return switcher.CanConfirm ? switcher.ConfirmationText : null;
        });
        Assert.False(await switcher.ConfirmAsync());
        Assert.Equal(403, switcher.Error?.Status);
        Assert.EndsWith(":forbidden", switcher.Error?.ProblemType);
        var after = await ServingClusterAsync(connection);
        Assert.Equal(cluster.Id, after.Id);
    }

    [Fact]
    public async Task The_problems_filter_shows_a_camera_disconnected_by_a_lab_fault()
    {
        using var connection = new ControllerConnection(demo.ControllerUrl, demo.ViewerToken);
        var overview = new DeviceOverviewViewModel(connection);
        var cameras = await WaitFor("both cameras, without problems", async () =>
        {
            await overview.RefreshAsync();
            Assert.Null(overview.Error);
            return overview.Cameras.Count == 2 && overview.Cameras.All(c => !c.Problem) ? overview.Cameras.ToList() : null;
        });
        var lost = cameras[0];
        await demo.LabFaultAsync($"/lab/recorders/recorder-1a/cameras/{lost.CameraId}", new { action = "disconnect" });
        try
        {
            overview.ProblemsOnly = true;
            var problems = await WaitFor("the disconnected camera under Problems only", async () =>
            {
                await overview.RefreshAsync();
                return overview.Cameras.Count == 1 && overview.Cameras[0].CameraId == lost.CameraId ? overview.Cameras.ToList() : null;
            });
            Assert.Contains("disconnected on recorder-1a", problems[0].Status);
            overview.ProblemsOnly = false;
            await overview.RefreshAsync();
            Assert.Equal(2, overview.Cameras.Count);
        }
        finally
        {
            await demo.LabFaultAsync($"/lab/recorders/recorder-1a/cameras/{lost.CameraId}", new { action = "reconnect" });
        }
    }
}
