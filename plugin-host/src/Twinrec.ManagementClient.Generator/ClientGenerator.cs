using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace Twinrec.ManagementClient.Generator;

/// <summary>
/// The plug-in's API client: NSwag's C# client for the operations the Management Client tab
/// calls, from the controller's OpenAPI document. The same document always gives the same text.
/// </summary>
public static partial class ClientGenerator
{
    /// <summary>The generated file, from the repository root.</summary>
    public const string OutputPath = "plugin-host/src/Twinrec.ManagementClient/Api/TwinrecApiClient.g.cs";
    public const string RegenerateCommand = "dotnet run --project plugin-host/src/Twinrec.ManagementClient.Generator";

    /// <summary>What the tab calls (path → methods); the rest of the API stays out of the client.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Operations = new Dictionary<string, string[]>
    {
        ["/api/v1/auth/session"] = ["get"],
        ["/api/v1/clusters"] = ["get"],
        ["/api/v1/clusters/{clusterId}/nodes/{nodeId}"] = ["get"],
        ["/api/v1/clusters/{clusterId}/state"] = ["get"],
        ["/api/v1/clusters/{clusterId}/switch"] = ["post"],
        ["/api/v1/clusters/{clusterId}/backfill"] = ["get"],
        ["/api/v1/clusters/{clusterId}/focus"] = ["post", "delete"],
        ["/api/v1/cameras"] = ["get"],
    };

    private const string Header = """
        // GENERATED FILE: do not edit. Made by plugin-host/src/Twinrec.ManagementClient.Generator (NSwag)
        // from the controller's OpenAPI document (api/src/http/openapi.ts), the operations in
        // ClientGenerator.Operations only. After changing the document, regenerate it with
        //   dotnet run --project plugin-host/src/Twinrec.ManagementClient.Generator
        // and commit the result; Twinrec.ManagementClient.Tests fails while it is stale.
        #nullable disable

        """;

    public static async Task<string> GenerateAsync(string openApiJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(Prune(openApiJson)).ConfigureAwait(false);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "TwinrecApiClient",
            GenerateClientInterfaces = true,
            UseBaseUrl = false,
            GenerateOptionalParameters = true,
            ExceptionClass = "ApiException",
            CSharpGeneratorSettings =
            {
                Namespace = "Twinrec.ManagementClient.Api",
                GenerateNullableReferenceTypes = false,
            },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        // No tool versions in the text: regenerating with the same document must give the same file.
        code = VersionLine().Replace(code, "");
        return Header + code.Replace("\r\n", "\n").TrimEnd() + "\n";
    }

    /// <summary>
    /// Keeps the operations the tab calls and the component schemas they reach, in OpenAPI 3.0
    /// form (<see cref="OpenApi31To30"/>), on the raw JSON.
    /// </summary>
    internal static string Prune(string openApiJson)
    {
        var root = JsonNode.Parse(openApiJson)?.AsObject() ?? throw new InvalidOperationException("the OpenAPI document is not an object");
        var paths = root["paths"]?.AsObject() ?? throw new InvalidOperationException("the OpenAPI document has no paths");
        foreach (var (path, _) in paths.ToList())
        {
            if (!Operations.TryGetValue(path, out var methods))
            {
                paths.Remove(path);
                continue;
            }
            var item = paths[path]!.AsObject();
            foreach (var (key, _) in item.ToList())
                if (HttpMethods.Contains(key) && !methods.Contains(key)) item.Remove(key);
        }
        var schemas = root["components"]?["schemas"]?.AsObject() ?? throw new InvalidOperationException("the OpenAPI document has no component schemas");
        var reached = new HashSet<string>();
        var pending = new Queue<string>(RefNames(paths.ToJsonString()));
        // Bounded by the number of schemas: each name is expanded once.
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (!reached.Add(name) || schemas[name] is not { } schema) continue;
            foreach (var next in RefNames(schema.ToJsonString())) if (!reached.Contains(next)) pending.Enqueue(next);
        }
        foreach (var (name, _) in schemas.ToList()) if (!reached.Contains(name)) schemas.Remove(name);
        OpenApi31To30.Rewrite(root);
        return root.ToJsonString();
    }

    private static readonly HashSet<string> HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static IEnumerable<string> RefNames(string json) => SchemaRef().Matches(json).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\"\\$ref\":\\s*\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaRef();

    /// <summary>NSwag's "Generated using the NSwag toolchain v…" lines name a version: left out.</summary>
    [GeneratedRegex(@"^//\s+Generated using the NSwag toolchain.*\n", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
