import { verifyToken, type KeyRing } from '../shared/jwt.js';
import type { Logger } from '../shared/log.js';
import { normalizeGuid } from '../shared/guid.js';
import type { VmsTokenStore } from './vms-tokens.js';

/**
 * ServerCommandServiceOAuth.svc: the management server's SOAP service where a client trades its
 * IDP access token for a VMS token (xprotect-integration.md 0a, 3.1). Only `Login` is served.
 *
 * Its shape follows Milestone's public material:
 * - path `/ManagementServer/ServerCommandServiceOAuth.svc` (ServerCommandWrapper
 *   `ManagementServerOAuthHelper.CommandServiceOAuthPath`; OauthLoginFlow writes
 *   `/managementServer/ServerCommandServiceOauth.svc`: paths match in any case, as on IIS);
 * - WCF basicHttpBinding, SOAP 1.1 (`GetOAuthBinding`: `new BasicHttpBinding()`), the access
 *   token as `Authorization: Bearer …` (`BearerAuthorizationHeaderInspector`; OauthLoginFlow
 *   writes `bearer`);
 * - namespace `http://videoos.net/2/XProtectCSServerCommand`, SOAPAction
 *   `…/IServerCommandService/Login`, `Login(Guid instanceId, string currentToken)` →
 *   `LoginInfo` (data contract `LoginInfo_CCode`: RegistrationTime, TimeToLive {MicroSeconds},
 *   TimeToLiveLimited, Token, in that order: the generated proxy `ServerCommandService.cs`, and
 *   a public capture of a real answer).
 *
 * A missing, invalid or expired access token gets a SOAP fault "Access is denied." with HTTP
 * 500, the message of WCF's SecurityAccessDeniedException **(choice: no public capture of a
 * refused OAuth Login was found)**.
 */

export const SERVER_COMMAND_NAMESPACE = 'http://videoos.net/2/XProtectCSServerCommand';
export const SERVER_COMMAND_OAUTH_PATH = '/ManagementServer/ServerCommandServiceOAuth.svc';
export const LOGIN_SOAP_ACTION = `${SERVER_COMMAND_NAMESPACE}/IServerCommandService/Login`;

interface SoapFault {
  readonly Fault: { faultcode: string; faultstring: string; statusCode: number };
}

function fault(faultcode: 'soap:Client' | 'soap:Server', faultstring: string): SoapFault {
  return { Fault: { faultcode, faultstring, statusCode: 500 } };
}

/** The Bearer token of an Authorization header (the scheme in any case, as OauthLoginFlow sends `bearer`). */
function bearerOf(header: string | undefined): string | null {
  const match = /^bearer ([\x21-\x7e]{1,8192})$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function stringArg(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

interface RequestLike {
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * The node-soap service object: `Login` checks the access token against the IDP's keys, then
 * issues or renews a VMS token in `store`.
 */
export function serverCommandService(store: VmsTokenStore, keys: KeyRing, log: Logger): Record<string, unknown> {
  const Login = (args: Record<string, unknown>, _callback: unknown, _headers: unknown, req: RequestLike | undefined): Record<string, unknown> => {
    const header = req?.headers.authorization;
    const accessToken = bearerOf(typeof header === 'string' ? header : undefined);
    const verdict = accessToken === null ? null : verifyToken(accessToken, keys, Date.now());
    if (verdict === null || !verdict.ok) {
      log.info({ reason: verdict === null ? 'no bearer token' : verdict.reason }, 'ServerCommandServiceOAuth Login refused');
      throw fault('soap:Client', 'Access is denied.');
    }
    let instanceId: string;
    try {
      instanceId = normalizeGuid(stringArg(args.instanceId));
    } catch {
      throw fault('soap:Client', 'instanceId is not a GUID');
    }
    const nowMs = Date.now();
    const result = store.login(instanceId, stringArg(args.currentToken), verdict.claims.sub, nowMs);
    if (!result.ok) {
      log.info({ reason: result.reason }, 'ServerCommandServiceOAuth Login refused');
      throw fault('soap:Client', `Login failed: ${result.reason}`);
    }
    log.debug({ renewed: result.renewed, ttlMs: result.info.timeToLiveMs }, 'VMS token issued');
    // Data contract members in alphabetical order, as DataContractSerializer writes them.
    return {
      LoginResult: {
        RegistrationTime: new Date(result.info.registrationTimeMs).toISOString(),
        TimeToLive: { MicroSeconds: result.info.timeToLiveMs * 1000 },
        TimeToLiveLimited: false,
        Token: result.info.token,
      },
    };
  };
  return { ServerCommandService: { BasicHttpBinding_IServerCommandService: { Login } } };
}

/** A single WSDL (as WCF's `?singleWsdl`) with the Login operation only. */
export function serverCommandWsdl(location: string): string {
  const ns = SERVER_COMMAND_NAMESPACE;
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="ServerCommandService" targetNamespace="${ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="${ns}" xmlns:ser="http://schemas.microsoft.com/2003/10/Serialization/">
  <wsdl:types>
    <xsd:schema elementFormDefault="qualified" targetNamespace="${ns}">
      <xsd:import namespace="http://schemas.microsoft.com/2003/10/Serialization/"/>
      <xsd:element name="Login"><xsd:complexType><xsd:sequence>
        <xsd:element minOccurs="0" name="instanceId" type="ser:guid"/>
        <xsd:element minOccurs="0" name="currentToken" nillable="true" type="xsd:string"/>
      </xsd:sequence></xsd:complexType></xsd:element>
      <xsd:element name="LoginResponse"><xsd:complexType><xsd:sequence>
        <xsd:element minOccurs="0" name="LoginResult" nillable="true" type="tns:LoginInfo_CCode"/>
      </xsd:sequence></xsd:complexType></xsd:element>
      <xsd:complexType name="LoginInfo_CCode"><xsd:sequence>
        <xsd:element minOccurs="0" name="RegistrationTime" type="xsd:dateTime"/>
        <xsd:element minOccurs="0" name="TimeToLive" nillable="true" type="tns:TimeDuration"/>
        <xsd:element minOccurs="0" name="TimeToLiveLimited" type="xsd:boolean"/>
        <xsd:element minOccurs="0" name="Token" nillable="true" type="xsd:string"/>
      </xsd:sequence></xsd:complexType>
      <xsd:complexType name="TimeDuration"><xsd:sequence>
        <xsd:element minOccurs="0" name="MicroSeconds" type="xsd:long"/>
      </xsd:sequence></xsd:complexType>
    </xsd:schema>
    <xsd:schema elementFormDefault="qualified" targetNamespace="http://schemas.microsoft.com/2003/10/Serialization/">
      <xsd:simpleType name="guid"><xsd:restriction base="xsd:string"><xsd:pattern value="[\\da-fA-F]{8}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-[\\da-fA-F]{12}"/></xsd:restriction></xsd:simpleType>
    </xsd:schema>
  </wsdl:types>
  <wsdl:message name="IServerCommandService_Login_InputMessage"><wsdl:part name="parameters" element="tns:Login"/></wsdl:message>
  <wsdl:message name="IServerCommandService_Login_OutputMessage"><wsdl:part name="parameters" element="tns:LoginResponse"/></wsdl:message>
  <wsdl:portType name="IServerCommandService">
    <wsdl:operation name="Login">
      <wsdl:input wsaw:Action="${LOGIN_SOAP_ACTION}" message="tns:IServerCommandService_Login_InputMessage" xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"/>
      <wsdl:output wsaw:Action="${LOGIN_SOAP_ACTION}Response" message="tns:IServerCommandService_Login_OutputMessage" xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="BasicHttpBinding_IServerCommandService" type="tns:IServerCommandService">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Login">
      <soap:operation soapAction="${LOGIN_SOAP_ACTION}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="ServerCommandService">
    <wsdl:port name="BasicHttpBinding_IServerCommandService" binding="tns:BasicHttpBinding_IServerCommandService">
      <soap:address location="${location}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
