using System.Text.Json;

namespace ServerlessChaos.Wrapper.Tests.Package;

/// <summary>
/// A new user's first five minutes: a fresh project outside the repository, one <c>dotnet add package</c> against the
/// packed feed, a build with warnings as errors (the package's weaver runs in it), and handlers decorated both ways that run.
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
    private const string Program = """
        using ServerlessChaos.Wrapper;

        var request = new Request { Name = "world" };
        var decorated = ChaosWrapper.Shared.Decorate<Request, LambdaContext, Response>(
            (r, context) => Task.FromResult(new Response { StatusCode = 200, Body = "hello " + r.Name }));
        var response = await decorated(request, new LambdaContext());
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
            PackageFixture.RepositoryRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(3),
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
        var project = Path.Combine(package.Root, "FreshFunction");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "FreshFunction.csproj"), ProjectFile);
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
        await Run(project, "add", "package", "ServerlessChaos.Wrapper");
        await Run(project, "build", "-warnaserror", "-nologo", "-v", "q");

        var output = Path.Combine(project, "bin", "Debug", "net10.0");
        File.Exists(Path.Combine(output, "ServerlessChaos.Wrapper.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(output, "ServerlessChaos.Aws.Signing.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(output, "ServerlessChaos.Aws.dll")).ShouldBeFalse("the control plane's clients are not part of a function");

        var armed = $$"""{"version":1,"enabled":true,"expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}","faults":[{"type":"statusCode","rate":1,"statusCode":503,"body":"chaos"}]}""";
        var (exit, log) = await DotnetCli.RunAsync(
            project,
            new Dictionary<string, string?>(package.Environment) { ["SERVERLESS_CHAOS_SETTINGS"] = armed },
            TimeSpan.FromMinutes(2),
            DotnetCli.Executable,
            Path.Combine(output, "FreshFunction.dll"));

        exit.ShouldBe(0, log);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("DECORATE 503 chaos", log);
        lines.ShouldContain("ATTRIBUTE 503 chaos runs=0", log);
        var injected = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        injected.Count(l => l.TryGetProperty("fault", out var fault) && fault.GetString() == "statusCode").ShouldBe(2, log);
    }

    private async Task<string> Run(string project, params string[] arguments)
    {
        var (exit, output) = await DotnetCli.RunAsync(project, package.Environment, TimeSpan.FromMinutes(8), DotnetCli.Executable, arguments);
        exit.ShouldBe(0, $"dotnet {string.Join(' ', arguments)}:\n{output}");
        return output;
    }
}
