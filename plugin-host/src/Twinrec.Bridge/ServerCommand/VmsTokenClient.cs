using System;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Description;
using System.ServiceModel.Dispatcher;
using System.Threading;
using System.Threading.Tasks;

namespace Twinrec.Bridge.ServerCommand;

/// <summary>
/// ServerCommandServiceOAuth Login through a WCF client: BasicHttpBinding (SOAP 1.1), the IDP
/// access token as `Authorization: Bearer …`, as Milestone's sample sets it up
/// (ManagementServerOAuthHelper.GetOAuthBinding, AddTokenBehavior).
/// </summary>
public sealed class VmsTokenClient(VmsConnection connection)
{
    /// <summary>Bounds what a Login answer may be (a LoginInfo is well under 1 KB).</summary>
    private const int AnswerBytesMax = 64 * 1024;

    public async Task<LoginInfo> LoginAsync(string accessToken, Guid instanceId, string? currentToken, CancellationToken cancellation)
    {
        var endpoint = connection.Resolve(ServerCommandNames.OAuthPath);
        var timeout = TimeSpan.FromMilliseconds(connection.RequestTimeoutMs);
        var binding = new BasicHttpBinding(endpoint.Scheme == Uri.UriSchemeHttps ? BasicHttpSecurityMode.Transport : BasicHttpSecurityMode.None)
        {
            MaxReceivedMessageSize = AnswerBytesMax,
            SendTimeout = timeout,
            ReceiveTimeout = timeout,
            OpenTimeout = timeout,
            CloseTimeout = timeout,
            AllowCookies = false,
        };
        var factory = new ChannelFactory<IServerCommandService>(binding, new EndpointAddress(endpoint));
        factory.Endpoint.EndpointBehaviors.Add(new BearerTokenBehavior(accessToken));
        var channel = factory.CreateChannel();
        var client = (IClientChannel)channel;
        try
        {
            using var abort = cancellation.Register(client.Abort);
            var info = await channel.LoginAsync(instanceId, currentToken).ConfigureAwait(false);
            client.Close();
            return info;
        }
        catch (FaultException fault)
        {
            client.Abort();
            throw new VmsCallException("ServerCommandServiceOAuth Login", Shorten(fault.Message), fault);
        }
        catch (CommunicationException err)
        {
            client.Abort();
            throw new VmsCallException("ServerCommandServiceOAuth Login", cancellation.IsCancellationRequested ? "cancelled" : Shorten(err.Message), err);
        }
        catch (TimeoutException err)
        {
            client.Abort();
            throw new VmsCallException("ServerCommandServiceOAuth Login", $"no answer within {connection.RequestTimeoutMs} ms", err);
        }
        finally
        {
            factory.Abort();
        }
    }

    private static string Shorten(string message) => message.Length > 200 ? message[..199] + "…" : message;

    /// <summary>Adds `Authorization: Bearer` to every request of the endpoint.</summary>
    private sealed class BearerTokenBehavior(string accessToken) : IEndpointBehavior, IClientMessageInspector
    {
        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime) => clientRuntime.ClientMessageInspectors.Add(this);
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters) { }
        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher) { }
        public void Validate(ServiceEndpoint endpoint) { }

        public object? BeforeSendRequest(ref Message request, IClientChannel channel)
        {
            if (!request.Properties.TryGetValue(HttpRequestMessageProperty.Name, out var value) || value is not HttpRequestMessageProperty http)
            {
                http = new HttpRequestMessageProperty();
                request.Properties.Add(HttpRequestMessageProperty.Name, http);
            }
            http.Headers["Authorization"] = "Bearer " + accessToken;
            return null;
        }

        public void AfterReceiveReply(ref Message reply, object? correlationState) { }
    }
}
