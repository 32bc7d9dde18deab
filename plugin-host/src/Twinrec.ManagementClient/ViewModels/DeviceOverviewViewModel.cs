using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>The Device Overview (GET /cameras), with the problems filter and a name search.</summary>
public sealed class DeviceOverviewViewModel(ControllerConnection connection) : ViewModelBase
{
    /// <summary>The most the API gives per page (GET /cameras `limit` ≤ 1000).</summary>
    public const int CamerasMax = 1000;
    private bool problemsOnly;
    private string query = "";
    private ApiError? error;

    public bool ProblemsOnly { get => problemsOnly; set => Set(ref problemsOnly, value); }
    public string Query { get => query; set => Set(ref query, value); }
    public ObservableCollection<CameraRow> Cameras { get; } = new();
    public ApiError? Error { get => error; private set => Set(ref error, value); }

    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        try
        {
            var page = await connection.Api.ListCamerasAsync(
                problems: ProblemsOnly ? true : null,
                q: string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
                limit: CamerasMax,
                cancellationToken: cancellation).ConfigureAwait(false);
            Cameras.Clear();
            foreach (var camera in page.Items) Cameras.Add(CameraRow.From(camera));
            Error = null;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            Error = ApiError.From(err);
        }
    }
}

/// <summary>One camera of the overview: its name, cluster, and what is wrong in words.</summary>
public sealed record CameraRow(string CameraId, string Name, string ClusterName, bool Problem, string Status)
{
    public static CameraRow From(Camera camera)
    {
        var issues = new[]
        {
            camera.Disconnected ? $"disconnected on {string.Join(", ", camera.DisconnectedOn.Select(d => d.NodeName))}" : null,
            camera.Overflow ? "overflow" : null,
            camera.Mismatched ? "settings differ between nodes" : null,
            !camera.Recording ? "not recording" : null,
        }.Where(s => s is not null);
        var status = string.Join("; ", issues);
        return new CameraRow(camera.CameraId, camera.Name, camera.ClusterName, camera.Problem, status.Length == 0 ? "OK" : status);
    }
}
