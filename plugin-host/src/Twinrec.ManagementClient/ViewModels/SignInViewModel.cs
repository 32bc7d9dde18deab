using System;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Api;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>Sign-in with an API token (`trk_…`, made in the console): checks it with GET /auth/session.</summary>
public sealed class SignInViewModel : ViewModelBase
{
    private string controllerUrl = "http://127.0.0.1:8740";
    private string apiToken = "";
    private string signedInAs = "";
    private SessionRole? role;
    private ApiError? error;

    public string ControllerUrl { get => controllerUrl; set => Set(ref controllerUrl, value); }
    public string ApiToken { get => apiToken; set => Set(ref apiToken, value); }
    /// <summary>`admin (operator)` once signed in.</summary>
    public string SignedInAs { get => signedInAs; private set => Set(ref signedInAs, value); }
    public SessionRole? Role { get => role; private set => Set(ref role, value); }
    public ApiError? Error { get => error; private set => Set(ref error, value); }

    /// <summary>The connection the other view models use, or null (see Error).</summary>
    public async Task<ControllerConnection?> SignInAsync(CancellationToken cancellation = default)
    {
        Error = null;
        if (!Uri.TryCreate(ControllerUrl, UriKind.Absolute, out var url))
        {
            Error = new ApiError(0, "", "the controller URL is not an absolute URL");
            return null;
        }
        ControllerConnection? connection = null;
        try
        {
            connection = new ControllerConnection(url, ApiToken);
            var session = await connection.Api.GetSessionAsync(cancellation).ConfigureAwait(false);
            Role = session.Role;
            SignedInAs = $"{session.User.Username} ({session.Role.ToString().ToLowerInvariant()})";
            return connection;
        }
        catch (Exception err) when (err is ApiException or System.Net.Http.HttpRequestException or TaskCanceledException or ArgumentException)
        {
            connection?.Dispose();
            Error = err is ArgumentException ? new ApiError(0, "", err.Message) : ApiError.From(err);
            return null;
        }
    }
}
