using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.SettingsReadColdStart;

/// <summary>
/// One first settings read: <c>sdk|wrapper &lt;endpoint&gt;</c>. Prints the microseconds from "about to create the
/// client" to "the parameter's value is in hand", in a process that has done nothing else: the AWS SDK's SSM client
/// (GetParameters, the call the wrapper makes), or the wrapper built from the environment as in a function (its own
/// signed GetParameters reader, environment credentials).
/// </summary>
public static class Program
{
    private const string Parameter = "/serverless-chaos/functions/cold-start";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [("sdk" or "wrapper") and var mode, var endpoint])
        {
            Console.Error.WriteLine("usage: ServerlessChaos.SettingsReadColdStart sdk|wrapper <ssm endpoint>");
            return 2;
        }

        var watch = Stopwatch.StartNew();
        string? value;
        if (mode == "sdk")
        {
            using var client = new AmazonSimpleSystemsManagementClient(
                new BasicAWSCredentials("AKIDCOLDSTART", "secret"),
                new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
            var reply = await client.GetParametersAsync(new GetParametersRequest { Names = [Parameter], WithDecryption = true });
            value = reply.Parameters.Single().Value;
        }
        else
        {
            var environment = new Dictionary<string, string>
            {
                ["AWS_REGION"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = "AKIDCOLDSTART",
                ["AWS_SECRET_ACCESS_KEY"] = "secret",
                ["AWS_ENDPOINT_URL_SSM"] = endpoint,
                ["SERVERLESS_CHAOS_PARAMETER"] = Parameter,
            };
            var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null }, name => environment.GetValueOrDefault(name));
            var status = await wrapper.GetStatusAsync();
            value = status.Armed ? "armed" : null; // the endpoint serves an armed document: anything else means the read failed
        }

        watch.Stop();
        if (string.IsNullOrEmpty(value))
        {
            Console.Error.WriteLine("no value read");
            return 1;
        }

        Console.WriteLine(watch.Elapsed.TotalMicroseconds.ToString("F0", CultureInfo.InvariantCulture));
        return 0;
    }
}
