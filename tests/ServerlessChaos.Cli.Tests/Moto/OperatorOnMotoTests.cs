using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Orchestrator.Backends;

namespace ServerlessChaos.Cli.Tests.Moto;

/// <summary>
/// The real <c>chaos</c> process against moto (signature checking and IAM evaluation on), signed in with the environment
/// credentials of the operator <c>chaos-no-fis</c>, who may do everything but FIS. moto 5.2.1 has no FIS experiments
/// API, so FIS goes to a loopback endpoint answering as FIS answers that operator: AccessDeniedException.
/// </summary>
[Collection(MotoCollection.Name)]
public class OperatorOnMotoTests(MotoFixture moto)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    private string Prefix => $"/chaos-{run}/functions/";

    private Dictionary<string, string> Environment(Uri fis) => new()
    {
        ["AWS_REGION"] = MotoServer.Region,
        ["AWS_ACCESS_KEY_ID"] = moto.Server.NoFis.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = moto.Server.NoFis.SecretAccessKey,
        ["AWS_ENDPOINT_URL"] = moto.Server.Url.ToString().TrimEnd('/'),
        ["AWS_ENDPOINT_URL_FIS"] = fis.ToString().TrimEnd('/'),
        ["SERVERLESS_CHAOS_PARAMETER_PREFIX"] = Prefix,
        ["SERVERLESS_CHAOS_HALT_PARAMETER"] = $"/chaos-{run}/halt",
        ["SERVERLESS_CHAOS_LEDGER_PREFIX"] = $"/chaos-{run}/ledger/",
    };

    /// <summary>FIS as it answers a principal without fis:* permissions; only requests signed with that principal's key.</summary>
    private async Task<LoopbackServer> FisDenyingTheOperatorAsync()
    {
        var fis = await LoopbackServer.StartAsync();
        fis.Handler = context =>
        {
            var signedByOperator = context.Request.Headers.Authorization.ToString().Contains($"Credential={moto.Server.NoFis.AccessKeyId}/", StringComparison.Ordinal);
            return signedByOperator
                ? LoopbackServer.Json(403, """{"message":"User: arn:aws:iam::123456789012:user/chaos-no-fis is not authorized to perform: fis:ListExperiments"}""", "application/json", headers: ("x-amzn-ErrorType", "AccessDeniedException"))(context)
                : LoopbackServer.Json(403, """{"message":"unsigned"}""", "application/json", headers: ("x-amzn-ErrorType", "UnrecognizedClientException"))(context);
        };
        return fis;
    }

    [Fact]
    public async Task Arm_status_and_disarm_keep_a_SecureString_parameters_type_key_and_value()
    {
        await using var fis = await FisDenyingTheOperatorAsync();
        var name = Prefix + "checkout";
        var prior = new StoredParameter(name, """{"version":1,"enabled":false,"apiKey":"s3cr3t"}""") { Type = ParameterTypes.SecureString, KeyId = "alias/aws/ssm" };
        await moto.AdminParameters.PutAsync(prior, default);
        var home = TestPaths.NewTempDirectory();

        var arm = await ChaosProcess.RunAsync(home, Environment(fis.Url), "arm", "checkout", "--latency", "300ms", "--for", "10m");
        arm.ExitCode.ShouldBe(0, arm.Error);
        var armed = (await moto.AdminParameters.GetAsync(name, default))!;
        (armed.Type, armed.KeyId).ShouldBe((ParameterTypes.SecureString, "alias/aws/ssm"));
        JsonNode.Parse(armed.Value)!["enabled"]!.GetValue<bool>().ShouldBeTrue();

        var status = await ChaosProcess.RunAsync(home, Environment(fis.Url), "status");
        status.Out.ShouldContain($"{name}  ARMED until");
        status.Out.ShouldContain("latency 300 ms");

        var disarm = await ChaosProcess.RunAsync(home, Environment(fis.Url), "disarm", "checkout");
        disarm.ExitCode.ShouldBe(0, disarm.Error);
        (await moto.AdminParameters.GetAsync(name, default)).ShouldBe(prior);
    }

    [Fact]
    public async Task Halt_by_an_operator_without_FIS_permissions_still_sets_the_switch_disarms_everything_and_exits_non_zero_naming_FIS()
    {
        await using var fis = await FisDenyingTheOperatorAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var armed = $$"""{"version":1,"enabled":true,"expiresAt":"{{expires}}","faults":[{"type":"latency","rate":1,"minMs":100,"maxMs":100}]}""";
        await moto.AdminParameters.PutAsync(new StoredParameter(Prefix + "orders", armed), default);
        await moto.AdminParameters.PutAsync(new StoredParameter(Prefix + "payments", armed) { Type = ParameterTypes.SecureString, KeyId = "alias/aws/ssm" }, default);

        var halt = await ChaosProcess.RunAsync(TestPaths.NewTempDirectory(), Environment(fis.Url), "halt", "--reason", "moto drill");

        halt.ExitCode.ShouldBe(2, halt.Out + halt.Error);
        JsonNode.Parse((await moto.AdminParameters.GetAsync($"/chaos-{run}/halt", default))!.Value)!["halted"]!.GetValue<bool>().ShouldBeTrue();
        foreach (var function in new[] { "orders", "payments" })
        {
            var after = (await moto.AdminParameters.GetAsync(Prefix + function, default))!;
            JsonNode.Parse(after.Value)!["enabled"]!.GetValue<bool>().ShouldBeFalse(function);
        }

        (await moto.AdminParameters.GetAsync(Prefix + "payments", default))!.Type.ShouldBe(ParameterTypes.SecureString);
        var said = halt.Out + halt.Error;
        said.ShouldContain("list FIS experiments tagged serverless-chaos:managed=true");
        said.ShouldContain("AccessDenied");
        said.ShouldContain("fis:ListExperiments");

        var again = await ChaosProcess.RunAsync(TestPaths.NewTempDirectory(), Environment(fis.Url), "disarm", "--all");
        again.ExitCode.ShouldBe(0, again.Out + again.Error);
    }
}
