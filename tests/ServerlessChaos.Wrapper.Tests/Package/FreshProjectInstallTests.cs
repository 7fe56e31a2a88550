using System.Text.Json;

namespace ServerlessChaos.Wrapper.Tests.Package;

/// <summary>
/// A new user's first five minutes: a fresh project outside the repository, one <c>dotnet add package</c> against the
/// packed feed (<see cref="PackedFeed"/>), a build with warnings as errors (the package's weaver runs in it), and handlers decorated both ways that run.
/// </summary>
public sealed class FreshProjectInstallTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    private const string ProjectFile = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
        </Project>
        """;

    // Stand-ins with the real Amazon.Lambda types' shape, as a user's function has them from the real packages.
    // With LIST_JIT=1 it also prints every method the JIT compiles during the first decorated invocation, from the
    // runtime's own events (what a precompiled wrapper spares a cold start).
    private const string Program = """
        using System.Diagnostics.Tracing;
        using System.Runtime.CompilerServices;
        using ServerlessChaos.Wrapper;

        using var jit = Environment.GetEnvironmentVariable("LIST_JIT") == "1" ? new JitLog() : null;
        jit?.Start();
        var request = new Request { Name = "world" };
        var decorated = ChaosWrapper.Shared.Decorate<Request, LambdaContext, Response>(
            (r, context) => Task.FromResult(new Response { StatusCode = 200, Body = "hello " + r.Name }));
        var response = await decorated(request, new LambdaContext());
        foreach (var method in jit?.Stop() ?? [])
        {
            Console.WriteLine("JIT " + method);
        }

        Console.WriteLine($"DECORATE {response.StatusCode} {response.Body}");
        response = await new Function().Handle(request, new LambdaContext());
        Console.WriteLine($"ATTRIBUTE {response.StatusCode} {response.Body} runs={Function.Runs}");

        public sealed class Function
        {
            public static int Runs;

            [ChaosInjection]
            public Task<Response> Handle(Request request, LambdaContext context)
            {
                Runs++;
                return Task.FromResult(new Response { StatusCode = 200, Body = "hello " + request.Name });
            }
        }

        public sealed class Request
        {
            public string Name { get; set; } = "";
        }

        public sealed class Response
        {
            public int StatusCode { get; set; }
            public string? Body { get; set; }
            public Dictionary<string, string>? Headers { get; set; }
        }

        public sealed class LambdaContext
        {
            public string AwsRequestId => "req-1";
            public string FunctionName => "fresh";
            public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
        }

        public sealed class JitLog : EventListener
        {
            private readonly List<string> _methods = [];
            private readonly ManualResetEventSlim _seen = new();
            private string? _awaited;
            private bool _recording;

            public void Start() => Mark(nameof(StartMarker), StartMarker, recording: true);

            public List<string> Stop()
            {
                Mark(nameof(StopMarker), StopMarker, recording: false);
                lock (_methods) { return [.. _methods]; }
            }

            // The events arrive on the runtime's dispatch thread: a method compiled for the first time marks where the stream is.
            private void Mark(string name, Action marker, bool recording)
            {
                lock (_methods) { _awaited = name; _seen.Reset(); }
                marker();
                if (!_seen.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException("no JIT event for " + name);
                lock (_methods) { _recording = recording; _methods.RemoveAll(m => m.EndsWith("Marker", StringComparison.Ordinal)); }
            }

            [MethodImpl(MethodImplOptions.NoInlining)] private static void StartMarker() { }
            [MethodImpl(MethodImplOptions.NoInlining)] private static void StopMarker() { }

            protected override void OnEventSourceCreated(EventSource source)
            {
                if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10); // JIT
            }

            protected override void OnEventWritten(EventWrittenEventArgs e)
            {
                if (e.EventName != "MethodJittingStarted_V1" || e.Payload is null || e.PayloadNames is null) return;
                var method = $"{e.Payload[e.PayloadNames.IndexOf("MethodNamespace")]}::{e.Payload[e.PayloadNames.IndexOf("MethodName")]}";
                lock (_methods)
                {
                    if (_recording) _methods.Add(method);
                    if (_awaited is not null && method.EndsWith("::" + _awaited, StringComparison.Ordinal)) { _awaited = null; _seen.Set(); }
                }
            }
        }
        """;

    [Fact]
    public void The_wrapper_package_depends_only_on_the_signer_and_the_weaver_not_on_the_control_planes_AWS_clients()
    {
        var dependencies = package.Dependencies("ServerlessChaos.Wrapper");

        dependencies.Keys.Order().ShouldBe(["net10.0", "net8.0"]);
        dependencies.Values.ShouldAllBe(ids => ids.SequenceEqual(new[] { "AspectInjector", "ServerlessChaos.Aws.Signing" }));
        package.Dependencies("ServerlessChaos.Aws.Signing").Values.ShouldAllBe(ids => ids.Length == 0);
    }

    [Fact]
    public async Task Packing_the_solution_makes_exactly_the_wrapper_the_signer_and_the_chaos_tool()
    {
        // What `dotnet pack ServerlessChaos.sln` packs, from one evaluation of every project in the solution (no second pack).
        var (exit, output) = await DotnetCli.RunAsync(
            PackedFeed.RepositoryRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(3),
            DotnetCli.Executable, "msbuild", "ServerlessChaos.sln", "-t:ReportPackage", "-nologo", "-v", "m");
        exit.ShouldBe(0, output);
        var projects = output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("package-report|", StringComparison.Ordinal))
            .Select(line => line.Split('|'))
            .DistinctBy(fields => fields[1])
            .ToList();

        projects.Count.ShouldBeGreaterThan(10, output);
        var packed = projects.Where(fields => fields[2] == "true").Select(fields => (Id: fields[3], Tool: fields[4] == "true")).OrderBy(p => p.Id).ToList();
        packed.ShouldBe([("ServerlessChaos.Aws.Signing", false), ("ServerlessChaos.Cli", true), ("ServerlessChaos.Wrapper", false)]);

        // Every package the wrapper depends on is either packed with it or comes from the registry.
        foreach (var ids in package.Dependencies("ServerlessChaos.Wrapper").Values)
        {
            ids.Where(id => id.StartsWith("ServerlessChaos.", StringComparison.Ordinal)).ShouldAllBe(id => packed.Any(p => p.Id == id));
        }
    }

    [Fact]
    public async Task One_dotnet_add_package_builds_with_warnings_as_errors_and_the_decorated_handler_runs()
    {
        var project = await NewProjectWithThePackage("FreshFunction");
        await Run(project, "build", "-warnaserror", "-nologo", "-v", "q");

        var output = Path.Combine(project, "bin", "Debug", "net10.0");
        File.Exists(Path.Combine(output, "ServerlessChaos.Wrapper.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(output, "ServerlessChaos.Aws.Signing.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(output, "ServerlessChaos.Aws.dll")).ShouldBeFalse("the control plane's clients are not part of a function");

        var (exit, log) = await RunFunction(Path.Combine(output, "FreshFunction.dll"));

        exit.ShouldBe(0, log);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("DECORATE 503 chaos", log);
        lines.ShouldContain("ATTRIBUTE 503 chaos runs=0", log);
        var injected = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        injected.Count(l => l.TryGetProperty("fault", out var fault) && fault.GetString() == "statusCode").ShouldBe(2, log);
    }

    [Fact]
    public void The_packages_carry_a_ReadyToRun_copy_for_linux_x64_beside_the_IL_of_each_target_framework()
    {
        foreach (var (id, assembly) in new[] { ("ServerlessChaos.Wrapper", "ServerlessChaos.Wrapper.dll"), ("ServerlessChaos.Aws.Signing", "ServerlessChaos.Aws.Signing.dll") })
        {
            var files = package.Files(id);
            foreach (var framework in new[] { "net8.0", "net10.0" })
            {
                var il = PortableExecutable.Read(files[$"lib/{framework}/{assembly}"]);
                var precompiled = PortableExecutable.Read(files[$"runtimes/linux-x64/lib/{framework}/{assembly}"]);

                il.IsReadyToRun.ShouldBeFalse($"{id} lib/{framework} is plain IL, for every other runtime and for Native AOT's compiler");
                precompiled.IsReadyToRun.ShouldBeTrue($"{id} runtimes/linux-x64/lib/{framework}");
                precompiled.Machine.ShouldBe(PortableExecutable.LinuxX64, $"{id} {framework}: precompiled for x86_64 Linux");
                precompiled.Identity.ShouldBe(il.Identity, $"{id} {framework}: the same assembly");
                precompiled.Types.ShouldBe(il.Types, $"{id} {framework}: the same types");
            }
        }
    }

    [Fact]
    public async Task Published_for_linux_x64_the_function_runs_the_precompiled_wrapper_and_its_first_invocation_JIT_compiles_almost_none_of_it()
    {
        var project = await NewProjectWithThePackage("PublishedFunction");
        var published = Path.Combine(package.Root, "published");
        // What `dotnet lambda package` runs for an x86_64 function.
        await Run(project, "publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", published, "-warnaserror", "-nologo", "-v", "q");
        PortableExecutable.Read(await File.ReadAllBytesAsync(Path.Combine(published, "ServerlessChaos.Wrapper.dll"))).IsReadyToRun.ShouldBeTrue();

        // The same published function with the package's IL copy of the wrapper put in its place, for contrast.
        var withIl = Path.Combine(package.Root, "published-il");
        Directory.CreateDirectory(withIl);
        foreach (var file in Directory.GetFiles(published))
        {
            File.Copy(file, Path.Combine(withIl, Path.GetFileName(file)));
        }

        await File.WriteAllBytesAsync(Path.Combine(withIl, "ServerlessChaos.Wrapper.dll"), package.Files("ServerlessChaos.Wrapper")["lib/net10.0/ServerlessChaos.Wrapper.dll"]);

        var precompiled = await WrapperMethodsJitted(Path.Combine(published, "PublishedFunction.dll"));
        var il = await WrapperMethodsJitted(Path.Combine(withIl, "PublishedFunction.dll"));

        il.Count.ShouldBeGreaterThan(50, "the IL copy is compiled by the JIT as the invocation runs: " + string.Join(", ", il));
        precompiled.Count.ShouldBeLessThan(il.Count / 10, "left to the JIT: generic code over the function's value types: " + string.Join(", ", precompiled));
    }

    private async Task<List<string>> WrapperMethodsJitted(string function)
    {
        var (exit, log) = await RunFunction(function, ("LIST_JIT", "1"));
        exit.ShouldBe(0, log);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("DECORATE 503 chaos", log);
        return lines.Where(l => l.StartsWith("JIT ServerlessChaos.", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Runs the built function with a status fault armed through the environment.</summary>
    private Task<(int ExitCode, string Output)> RunFunction(string function, params (string Name, string Value)[] extra)
    {
        var armed = $$"""{"version":1,"enabled":true,"expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}","faults":[{"type":"statusCode","rate":1,"statusCode":503,"body":"chaos"}]}""";
        var environment = new Dictionary<string, string?>(package.Environment) { ["SERVERLESS_CHAOS_SETTINGS"] = armed };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return DotnetCli.RunAsync(Path.GetDirectoryName(function)!, environment, TimeSpan.FromMinutes(2), DotnetCli.Executable, function);
    }

    /// <summary>A new project outside the repository, and one <c>dotnet add package ServerlessChaos.Wrapper</c> in it.</summary>
    private async Task<string> NewProjectWithThePackage(string name)
    {
        var project = Path.Combine(package.Root, name);
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, name + ".csproj"), ProjectFile);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), Program);

        // The feed next to the registry the machine already uses (no <clear/>): the dependencies come from there.
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="serverless-chaos" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);

        // No --source: it would replace every configured source, and the weaver (AspectInjector) comes from the registry.
        // The run's own version (PackedFeed): a user names none and gets the latest release.
        await Run(project, "add", "package", "ServerlessChaos.Wrapper", "--version", package.Version);
        return project;
    }

    private async Task<string> Run(string project, params string[] arguments)
    {
        var (exit, output) = await DotnetCli.RunAsync(project, package.Environment, TimeSpan.FromMinutes(8), DotnetCli.Executable, arguments);
        exit.ShouldBe(0, $"dotnet {string.Join(' ', arguments)}:\n{output}");
        return output;
    }
}
