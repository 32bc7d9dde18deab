using System;
using System.Runtime.Serialization;
using System.ServiceModel;
using System.Threading.Tasks;

namespace Twinrec.Bridge.ServerCommand;

// Hand-written WCF contract for the one operation we call. No WSDL-to-C# generator is served
// here (dotnet-svcutil is not in the NuGet copy), so this matches, member for member, the proxy
// Milestone generated from the real WSDL: mipsdk-samples-protocol
// ServerCommandWrapper/ServerCommandService.cs (IServerCommandService.Login, LoginInfo_CCode,
// TimeDuration), and the lab's WSDL (lab/management/server-command.ts).

/// <summary>ServerCommandService(OAuth).svc, namespace http://videoos.net/2/XProtectCSServerCommand.</summary>
[ServiceContract(Namespace = ServerCommandNames.Namespace, Name = "IServerCommandService")]
public interface IServerCommandService
{
    /// <summary>
    /// Trades the caller's credentials (here the IDP token in `Authorization: Bearer`) for a VMS
    /// token; called again with `currentToken` before TimeToLive it renews that token.
    /// </summary>
    [OperationContract(Action = ServerCommandNames.LoginAction, ReplyAction = ServerCommandNames.LoginAction + "Response")]
    Task<LoginInfo> LoginAsync(Guid instanceId, string? currentToken);
}

public static class ServerCommandNames
{
    public const string Namespace = "http://videoos.net/2/XProtectCSServerCommand";
    public const string LoginAction = Namespace + "/IServerCommandService/Login";
    /// <summary>ManagementServerOAuthHelper.CommandServiceOAuthPath in Milestone's sample.</summary>
    public const string OAuthPath = "ManagementServer/ServerCommandServiceOAuth.svc";
}

/// <summary>The answer of Login.</summary>
[DataContract(Name = "LoginInfo_CCode", Namespace = ServerCommandNames.Namespace)]
public sealed class LoginInfo
{
    [DataMember] public DateTime RegistrationTime { get; set; }
    [DataMember] public TimeDuration? TimeToLive { get; set; }
    [DataMember] public bool TimeToLiveLimited { get; set; }
    [DataMember] public string? Token { get; set; }
}

/// <summary>XProtect's duration type ("TimeSpan does not serialize over SOAP").</summary>
[DataContract(Name = "TimeDuration", Namespace = ServerCommandNames.Namespace)]
public sealed class TimeDuration
{
    [DataMember] public long MicroSeconds { get; set; }
}
