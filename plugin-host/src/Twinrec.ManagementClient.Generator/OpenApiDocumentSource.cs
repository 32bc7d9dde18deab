using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Twinrec.ManagementClient.Generator;

/// <summary>The controller's OpenAPI document, as `openApiDocument` (api/src/http/openapi.ts) makes it.</summary>
public static class OpenApiDocumentSource
{
    private const int TimeoutMs = 120_000;

    /// <summary>The repository root: the nearest folder above `start` with package.json and plugin-host/.</summary>
    public static string FindRepositoryRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        for (var depth = 0; dir is not null && depth < 16; depth++, dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "plugin-host"))) return dir.FullName;
        throw new InvalidOperationException($"no repository root above {start}");
    }

    /// <summary>Runs Node (with tsx, as the repository's scripts do) to print the document as JSON.</summary>
    public static async Task<string> ReadAsync(string repositoryRoot)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--import", "tsx", "-e", "const m = await import('./api/src/http/openapi.ts'); process.stdout.write(JSON.stringify(m.openApiDocument));", "--input-type=module" })
            start.ArgumentList.Add(arg);
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        if (!node.WaitForExit(TimeoutMs))
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"node did not print the OpenAPI document within {TimeoutMs} ms");
        }
        if (node.ExitCode != 0) throw new InvalidOperationException($"node exited {node.ExitCode}: {await stderr}");
        return await stdout;
    }
}
