using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// The first settings read of a fresh process, AWS SDK versus the wrapper's own reader: an SSM endpoint on 127.0.0.1
/// (GetParameters, an armed document) and <c>runs</c> fresh processes of <c>benchmarks/SettingsReadColdStart</c> per
/// reader, interleaved so load on the machine hits both alike. Each process times its own read.
/// </summary>
public static class SettingsReadColdStartRuns
{
    private static readonly string[] Readers = ["sdk", "wrapper"];

    /// <param name="output">Where the table goes.</param>
    /// <param name="runs">Processes per reader.</param>
    /// <param name="dll">The SettingsReadColdStart program.</param>
    public static void Run(TextWriter output, int runs, string dll)
    {
        using var listener = new HttpListener();
        var port = FreePort();
        var endpoint = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(endpoint);
        listener.Start();
        var requests = 0;
        var serving = Task.Run(() => Serve(listener, () => Interlocked.Increment(ref requests)));
        var samples = Readers.ToDictionary(r => r, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var reader in Readers)
            {
                samples[reader].Add(Once(dll, reader, endpoint) / 1000.0);
            }
        }

        listener.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs} fresh processes per reader, first GetParameters to value in hand, ms ({requests} requests served)"));
        output.WriteLine("| reader | median | min | max |");
        output.WriteLine("|---|---|---|---|");
        foreach (var reader in Readers)
        {
            var sorted = samples[reader].Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {reader} | {sorted[sorted.Count / 2]:F1} | {sorted[0]:F1} | {sorted[^1]:F1} |"));
        }
    }

    private static async Task Serve(HttpListener listener, Action counted)
    {
        var document = $$"""{"version":1,"enabled":true,"expiresAt":"{{DateTime.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}}","faults":[{"type":"latency","rate":0,"ms":0}]}""";
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            counted();
            using var body = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var names = JsonNode.Parse(await body.ReadToEndAsync())!["Names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            var parameters = new JsonArray();
            var invalid = new JsonArray();
            foreach (var name in names)
            {
                if (name.EndsWith("/cold-start", StringComparison.Ordinal))
                {
                    parameters.Add(new JsonObject { ["Name"] = name, ["Type"] = "String", ["Value"] = document, ["Version"] = 1, ["DataType"] = "text" });
                }
                else
                {
                    invalid.Add(name);
                }
            }

            var reply = Encoding.UTF8.GetBytes(new JsonObject { ["Parameters"] = parameters, ["InvalidParameters"] = invalid }.ToJsonString());
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            await context.Response.OutputStream.WriteAsync(reply);
            context.Response.Close();
        }
    }

    private static double Once(string dll, string reader, string endpoint)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, reader, endpoint })
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the caller's AWS setup: the SDK would otherwise look at profiles and the environment.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var text = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var microseconds)
            ? microseconds
            : throw new InvalidOperationException($"{reader} read failed ({process.ExitCode}): {error.Trim()}");
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
