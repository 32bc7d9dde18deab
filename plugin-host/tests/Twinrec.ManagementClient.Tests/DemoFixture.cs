using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Generator;
using Xunit;

namespace Twinrec.ManagementClient.Tests;

/// <summary>
/// A real controller with a lab and agents: `twinrec demo --json` from source, started once for
/// the class and stopped with SIGTERM (which stops its lab), then its folder removed.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private const int StartTimeoutMs = 240_000;
    private const int StopTimeoutMs = 90_000;
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), $"twinrec-mc-demo-{Guid.NewGuid():N}");
    private readonly Queue<string> stderrTail = new();
    private readonly List<PosixSignalRegistration> signalRegistrations = new();
    private Process? demo;

    public Uri ControllerUrl { get; private set; } = null!;
    public Uri LabControlUrl { get; private set; } = null!;
    public string OperatorToken { get; private set; } = "";
    public string ViewerToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var root = OpenApiDocumentSource.FindRepositoryRoot(AppContext.BaseDirectory);
        var start = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--import", "tsx", "cli/main.ts", "demo", "--json", "--port", "0", "--data-dir", dataDir, "--cameras", "2", "--profile", "fast" })
            start.ArgumentList.Add(arg);
        demo = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        // A test host ended by a signal (Ctrl-C, a CI timeout's SIGTERM) or exiting without
        // disposing fixtures still stops the demo, by its PID: SIGTERM, which stops its lab too.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            signalRegistrations.Add(PosixSignalRegistration.Create(signal, _ => StopDemoNow()));
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        // Its log goes to stderr: drained, the last lines kept for a failure message.
        demo.ErrorDataReceived += (_, e) =>
        {
            // Agents report twice a second: their lines would push out everything else.
            if (e.Data is null || e.Data.Contains("/api/v1/agent/report", StringComparison.Ordinal)) return;
            lock (stderrTail)
            {
                stderrTail.Enqueue(e.Data);
                while (stderrTail.Count > 12) stderrTail.Dequeue();
            }
        };
        demo.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartTimeoutMs);
        string? line;
        try
        {
            line = await demo.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line is null || !line.StartsWith('{')) throw new InvalidOperationException($"the demo printed no summary: {line}\n{Tail()}");
        using var summary = JsonDocument.Parse(line);
        var endpoints = summary.RootElement.GetProperty("endpoints");
        ControllerUrl = new Uri(endpoints.GetProperty("controller").GetProperty("url").GetString()!);
        LabControlUrl = new Uri(endpoints.GetProperty("labControl").GetString()!);
        var console = summary.RootElement.GetProperty("credentials").GetProperty("console");
        (OperatorToken, ViewerToken) = await MakeTokensAsync(console.GetProperty("username").GetString()!, console.GetProperty("password").GetString()!);
    }

    /// <summary>An admin signs in to the console and makes an operator and a viewer API token, as a user would.</summary>
    private async Task<(string, string)> MakeTokensAsync(string username, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = ControllerUrl, Timeout = TimeSpan.FromSeconds(30) };
        (await http.PostAsJsonAsync("/api/v1/auth/login", new { username, password })).EnsureSuccessStatusCode();
        async Task<string> Token(string role)
        {
            var res = await http.PostAsJsonAsync("/api/v1/tokens", new { name = $"management-client-{role}", role });
            res.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("token").GetString()!;
        }
        return (await Token("operator"), await Token("viewer"));
    }

    /// <summary>POST to the lab's fault-injection API (what only tests and the demo call).</summary>
    public async Task LabFaultAsync(string path, object body)
    {
        using var http = new HttpClient { BaseAddress = LabControlUrl, Timeout = TimeSpan.FromSeconds(30) };
        var res = await http.PostAsJsonAsync(path, body);
        Assert.True(res.IsSuccessStatusCode, $"lab fault {path}: HTTP {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
    }

    public string Tail()
    {
        lock (stderrTail) return string.Join("\n", stderrTail);
    }

    private void OnProcessExit(object? sender, EventArgs e) => StopDemoNow();

    /// <summary>SIGTERM to the demo and a bounded wait for it to stop its lab; for signals and process exit.</summary>
    private void StopDemoNow()
    {
        var running = demo;
        if (running is null) return;
        try
        {
            if (running.HasExited) return;
            _ = kill(running.Id, 15);
            if (!running.WaitForExit(StopTimeoutMs)) running.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already disposed: DisposeAsync stopped it.
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var registration in signalRegistrations) registration.Dispose();
        signalRegistrations.Clear();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (demo is not null)
        {
            if (!demo.HasExited) _ = kill(demo.Id, 15); // SIGTERM: the demo stops its agents and lab, then exits
            using var timeout = new CancellationTokenSource(StopTimeoutMs);
            try
            {
                await demo.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                demo.Kill(entireProcessTree: true);
            }
            demo.Dispose();
            demo = null;
        }
        if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
