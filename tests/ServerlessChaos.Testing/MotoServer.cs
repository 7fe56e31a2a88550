using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Testing;

/// <summary>
/// A moto server (the AWS emulator pinned in tests/requirements.txt) on 127.0.0.1 at a free port, with
/// signature checking and IAM evaluation on: before auth is switched on, boto3 creates an administrator and
/// a user denied <c>ssm:PutParameter</c>, an operator denied every FIS action, whose keys tests sign with. Start one per test collection (a
/// few seconds), not per test; its state is shared, so tests use their own names.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    /// <summary>The account moto uses.</summary>
    public const string AccountId = "123456789012";

    /// <summary>The region tests use.</summary>
    public const string Region = "us-east-1";

    // Runs before auth is on: users, their keys, and a role the administrator may assume.
    private const string Bootstrap = """
        import json, sys, boto3
        kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        iam = boto3.client("iam", **kw)
        def user(name, policy):
            iam.create_user(UserName=name)
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
            key = iam.create_access_key(UserName=name)["AccessKey"]
            return {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}
        allow_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        deny_put = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "ssm:PutParameter", "Resource": "*"}]}
        deny_fis = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "fis:*", "Resource": "*"}]}
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName="chaos-operator", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        iam.put_role_policy(RoleName="chaos-operator", PolicyName="p", PolicyDocument=json.dumps(allow_all))
        print(json.dumps({"admin": user("chaos-admin", allow_all), "denied": user("chaos-no-put", deny_put), "noFis": user("chaos-no-fis", deny_fis), "roleArn": role}))
        """;

    private readonly Process process;
    private readonly StringBuilder output = new();

    private MotoServer(Process process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    /// <summary>The server, e.g. <c>http://127.0.0.1:53123/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Keys of a user allowed everything.</summary>
    public MotoKeys Admin { get; private set; } = new("", "");

    /// <summary>Keys of a user allowed everything but <c>ssm:PutParameter</c>.</summary>
    public MotoKeys DeniedPut { get; private set; } = new("", "");

    /// <summary>Keys of the operator <c>chaos-no-fis</c>: allowed everything but FIS (<c>fis:*</c> denied).</summary>
    public MotoKeys NoFis { get; private set; } = new("", "");

    /// <summary>A role the administrator may assume, allowed everything.</summary>
    public string RoleArn { get; private set; } = "";

    /// <summary>What the server printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts moto, creates the users and turns signature checking on.</summary>
    public static async Task<MotoServer> StartAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("python3", $"-m moto.server -H 127.0.0.1 -p {port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 -m moto.server did not start");
        var server = new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilUpAsync();
            var keys = JsonNode.Parse(await RunPythonAsync(Bootstrap, server.Url.ToString().TrimEnd('/')))!;
            server.Admin = MotoKeys.From(keys["admin"]!);
            server.DeniedPut = MotoKeys.From(keys["denied"]!);
            server.NoFis = MotoKeys.From(keys["noFis"]!);
            server.RoleArn = keys["roleArn"]!.GetValue<string>();
            using var http = new HttpClient();
            var reset = await http.PostAsync(new Uri(server.Url, "moto-api/reset-auth"), new StringContent("0", Encoding.UTF8, "text/plain"));
            reset.EnsureSuccessStatusCode();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs Python with <c>boto3</c> imported and <c>kw</c> holding the administrator's client arguments
    /// (<c>boto3.client("cloudwatch", **kw)</c>), for setting up what the project has no client for; returns its output.
    /// </summary>
    public Task<string> Boto3Async(string body) => RunPythonAsync(
        $"import json, sys, boto3\nkw = dict(endpoint_url=sys.argv[1], region_name=\"{Region}\", aws_access_key_id=\"{Admin.AccessKeyId}\", aws_secret_access_key=\"{Admin.SecretAccessKey}\")\n{body}",
        Url.ToString().TrimEnd('/'));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilUpAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"moto exited with {process.ExitCode} before it was up: {Output}");
            }

            try
            {
                using var reply = await http.GetAsync(new Uri(Url, "moto-api/data.json"));
                if (reply.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"moto did not answer on {Url} within 60 s: {Output}");
            }

            // Polls a starting process; nothing here measures time.
            await Task.Delay(100);
        }
    }

    private static async Task<string> RunPythonAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"the moto bootstrap failed ({python.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An access key moto issued.</summary>
public sealed record MotoKeys(string AccessKeyId, string SecretAccessKey)
{
    internal static MotoKeys From(JsonNode node) => new(node["accessKeyId"]!.GetValue<string>(), node["secretAccessKey"]!.GetValue<string>());
}
