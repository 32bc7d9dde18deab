using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;

namespace Twinrec.Bridge.RecorderStatus;

/// <summary>
/// RecorderStatusService2 GetCurrentDeviceStatus over SOAP 1.1 (document/literal wrapped) with
/// the VMS token: `&lt;rs&gt;/RecorderStatusService/RecorderStatusService2.asmx`, namespace
/// http://videoos.net/2/XProtectCSRecorderStatus2 (MilestonePSTools Get-RecorderStatusService2,
/// Get-VmsDeviceStatus; xprotect-integration.md 2.1, 2.2). Device ids are always explicit, as
/// Milestone's cmdlets pass them: what a recorder answers to none is not documented.
/// </summary>
public sealed class RecorderStatusClient(HttpClient http)
{
    public const string ServicePath = "RecorderStatusService/RecorderStatusService2.asmx";
    public const string Namespace = "http://videoos.net/2/XProtectCSRecorderStatus2";
    /// <summary>Bound on the devices of one call (a recorder's cameras fit many times over).</summary>
    public const int DeviceIdsMax = 4096;

    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Ns = Namespace;

    public async Task<IReadOnlyList<CameraStatus>> GetCurrentDeviceStatusAsync(Uri recorderWebServerUri, string vmsToken, IReadOnlyList<Guid> deviceIds, CancellationToken cancellation)
    {
        if (deviceIds.Count == 0) throw new BridgeInputException("deviceIds must name at least one device");
        if (deviceIds.Count > DeviceIdsMax) throw new BridgeInputException($"deviceIds may name at most {DeviceIdsMax} devices");
        var baseText = recorderWebServerUri.AbsoluteUri.EndsWith('/') ? recorderWebServerUri.AbsoluteUri : recorderWebServerUri.AbsoluteUri + "/";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(baseText), ServicePath))
        {
            Content = new StringContent(RequestEnvelope(vmsToken, deviceIds), Encoding.UTF8, "text/xml"),
        };
        request.Headers.Add("SOAPAction", $"\"{Namespace}/GetCurrentDeviceStatus\"");
        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        return ParseResponse((int)response.StatusCode, body);
    }

    internal static string RequestEnvelope(string vmsToken, IReadOnlyList<Guid> deviceIds) =>
        new XElement(Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "soap", Soap),
            new XElement(Soap + "Body",
                new XElement(Ns + "GetCurrentDeviceStatus",
                    new XElement(Ns + "token", vmsToken),
                    new XElement(Ns + "deviceIds", deviceIds.Select(id => new XElement(Ns + "guid", id.ToString("D")))))))
            .ToString(SaveOptions.DisableFormatting);

    /// <summary>The cameras' status, or the SOAP fault's text as the reason.</summary>
    internal static IReadOnlyList<CameraStatus> ParseResponse(int status, string body)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(body);
        }
        catch (XmlException)
        {
            throw new VmsCallException("GetCurrentDeviceStatus", $"HTTP {status}, not XML");
        }
        var fault = document.Descendants(Soap + "Fault").FirstOrDefault();
        if (fault is not null)
        {
            var text = (string?)fault.Element("faultstring") ?? "SOAP fault";
            throw new VmsCallException("GetCurrentDeviceStatus", text.Length > 200 ? text[..199] + "…" : text);
        }
        if (status != 200) throw new VmsCallException("GetCurrentDeviceStatus", $"HTTP {status}");
        var result = document.Descendants(Ns + "GetCurrentDeviceStatusResult").FirstOrDefault()
            ?? throw new VmsCallException("GetCurrentDeviceStatus", "no GetCurrentDeviceStatusResult");
        return result.Elements(Ns + "CameraDeviceStatusArray").Elements(Ns + "CameraDeviceStatus").Select(Camera).ToList();
    }

    private static CameraStatus Camera(XElement e) => new(
        Guid.Parse(Required(e, "DeviceId")),
        DateTimeOffset.Parse(Required(e, "Time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        Flag(e, "Enabled"),
        Flag(e, "Started"),
        Flag(e, "Recording"),
        Flag(e, "Motion"),
        Flag(e, "Error"),
        Flag(e, "ErrorNoConnection"),
        Flag(e, "ErrorNotLicensed"),
        Flag(e, "ErrorOverflow"),
        Flag(e, "ErrorWritingGop"),
        Flag(e, "DbMoveInProgress"),
        Flag(e, "DbRepairInProgress"),
        Flag(e, "IsChange"));

    private static string Required(XElement e, string name) =>
        (string?)e.Element(Ns + name) ?? throw new VmsCallException("GetCurrentDeviceStatus", $"a CameraDeviceStatus has no {name}");

    private static bool Flag(XElement e, string name) => (string?)e.Element(Ns + name) is { } text && XmlConvert.ToBoolean(text);
}
