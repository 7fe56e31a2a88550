using System.CommandLine;
using System.Text.Json;
using ServerlessChaos.Cli.Operator;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Commands;

/// <summary><c>chaos arm</c> and <c>chaos disarm</c>: write a function's wrapper settings directly.</summary>
internal static class ArmCommands
{
    /// <summary>Builds <c>chaos arm</c>.</summary>
    public static Command CreateArm(CliContext context)
    {
        var target = new Argument<string>("function-or-parameter") { Description = "A function name (the parameter is the prefix plus the name) or a full parameter name starting with /." };
        var latency = new Option<string?>("--latency") { Description = "Add latency: 300ms, or a range like 200-800ms." };
        var status = new Option<int?>("--status") { Description = "Answer with this HTTP status code instead of the handler's response (e.g. 503)." };
        var exception = new Option<string?>("--exception")
        {
            Description = "Throw an exception; optionally its type (TimeoutException, HttpRequestException, ...).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var timeout = new Option<bool>("--timeout") { Description = "Make the invocation run out of time." };
        var dependency = new Option<string[]>("--dependency")
        {
            Description = "Fault outbound calls to hosts matching this pattern (e.g. *.dynamodb.*.amazonaws.com); repeat for more hosts.",
            AllowMultipleArgumentsPerToken = false,
        };
        var dependencyFault = new Option<string>("--dependency-fault")
        {
            Description = "What --dependency calls get: status[:code[:errorCode]], latency:<min-max>ms or connection.",
            DefaultValueFactory = _ => "status:503",
        };
        var clockSkew = new Option<string?>("--clock-skew") { Description = "Shift the function's clock (ChaosWrapper.Time): +5m ahead, -90s behind." };
        var clockDrift = new Option<string?>("--clock-drift") { Description = "With --clock-skew: add this on every further invocation hit (e.g. +1s)." };
        var duplicateRecords = new Option<string?>("--duplicate-records") { Description = "SQS/Kinesis/DynamoDB Streams batches: repeat a share of the records (e.g. 0.2), or 'batch' to hand the batch over twice.", Arity = ArgumentArity.ZeroOrOne };
        var reorderRecords = new Option<string?>("--reorder-records") { Description = "Batches: shuffle (default) or reverse the records.", Arity = ArgumentArity.ZeroOrOne };
        var delayRecords = new Option<string?>("--delay-records") { Description = "Batches: hold back a share of the records (default 0.5) as batch item failures; needs --report-batch-item-failures.", Arity = ArgumentArity.ZeroOrOne };
        var reportBatchItemFailures = new Option<bool>("--report-batch-item-failures") { Description = "Confirm the event source mapping has ReportBatchItemFailures (required by --delay-records)." };
        var corruption = new Option<string?>("--corruption")
        {
            Description = "After the handler ran, garble its HTTP response body (cut and marked with U+FFFD), or replace it with this body.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var wrapperDryRun = new Option<bool>("--wrapper-dry-run")
        {
            Description = "Arm the document with dryRun: the wrapper logs and counts what it would have injected, with provenance, and injects nothing.",
        };
        var rate = new Option<double>("--rate") { Description = "The share of invocations affected, 0 to 1.", DefaultValueFactory = _ => 1 };
        var forOption = new Option<string>("--for") { Description = "How long until the settings expire by themselves (at most 24h).", DefaultValueFactory = _ => "15m" };
        var experimentId = new Option<string?>("--experiment-id") { Description = "An id the wrapper puts on every log line and metric." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the settings document without writing it." };
        var advanced = new Option<bool>("--allow-advanced-tier")
        {
            Description = "Allow a settings document over 4 KB to be written in SSM's Advanced tier (up to 8 KB; Advanced parameters are charged).",
        };
        var prefix = OperatorSettings.PrefixOption(context);
        var halt = OperatorSettings.HaltParameterOption(context);
        var ledgerPrefix = OperatorSettings.LedgerPrefixOption(context);

        var command = new Command("arm", "Arm a function's wrapper with faults until they expire (or chaos disarm). The parameter's prior value is kept in a rollback ledger, so chaos disarm puts back exactly what was there.")
        {
            target, latency, status, exception, timeout, dependency, dependencyFault, rate, forOption, experimentId, dryRun, advanced, prefix, halt, ledgerPrefix,
        };
        foreach (var option in new Option[] { clockSkew, clockDrift, duplicateRecords, reorderRecords, delayRecords, reportBatchItemFailures, corruption, wrapperDryRun })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var request = new ArmRequest
            {
                Target = parse.GetRequiredValue(target),
                Latency = parse.GetValue(latency),
                Status = parse.GetValue(status),
                Exception = parse.GetResult(exception) is not null,
                ExceptionType = parse.GetValue(exception),
                Timeout = parse.GetValue(timeout),
                DependencyHosts = parse.GetValue(dependency) ?? [],
                DependencyFault = parse.GetValue(dependencyFault) ?? "status:503",
                Rate = parse.GetValue(rate),
                For = DurationText.Parse(parse.GetValue(forOption) ?? "15m", "--for"),
                ExperimentId = parse.GetValue(experimentId),
                ClockSkew = parse.GetValue(clockSkew),
                ClockDrift = parse.GetValue(clockDrift),
                DuplicateRecords = parse.GetResult(duplicateRecords) is null ? null : parse.GetValue(duplicateRecords) ?? "",
                ReorderRecords = parse.GetResult(reorderRecords) is null ? null : parse.GetValue(reorderRecords) ?? "",
                DelayRecords = parse.GetResult(delayRecords) is null ? null : parse.GetValue(delayRecords) ?? "",
                ReportBatchItemFailures = parse.GetValue(reportBatchItemFailures),
                Corruption = parse.GetResult(corruption) is null ? null : parse.GetValue(corruption) ?? "",
                WrapperDryRun = parse.GetValue(wrapperDryRun),
            };
            var now = context.Clock.GetUtcNow();
            var parameter = ArmRequest.ParameterFor(request.Target, parse.GetRequiredValue(prefix));
            var settings = request.ToSettings(now);
            var document = settings.ToJsonString();
            var parsed = ChaosSettings.Parse(document).Settings!;
            if (parse.GetValue(dryRun))
            {
                await context.Out.WriteLineAsync($"Would write {parameter}:").ConfigureAwait(false);
                await context.Out.WriteLineAsync(settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                return ChaosCli.Ok;
            }

            var options = OperatorSettings.Resolve(parse, prefix, halt, ledgerPrefix);
            var written = await context.Operator(options).ArmAsync(parameter, document, parse.GetValue(advanced), ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Armed {parameter} until {parsed.ExpiresAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({DurationText.Format(request.For)}), experiment {parsed.ExperimentId}:").ConfigureAwait(false);
            foreach (var fault in parsed.Faults)
            {
                await context.Out.WriteLineAsync($"  {SettingsDescription.Describe(fault)}").ConfigureAwait(false);
            }

            if (written.Type != "String" || written.Tier != "Standard")
            {
                await context.Out.WriteLineAsync($"  (kept as a {written.Type} parameter, {written.Tier} tier)").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync("The wrapper picks it up within its cache time (a minute at most while idle). Undo with: chaos disarm " + request.Target + " (puts back what was there before)").ConfigureAwait(false);
            return ChaosCli.Ok;
        });
        return command;
    }

    /// <summary>Builds <c>chaos disarm</c>.</summary>
    public static Command CreateDisarm(CliContext context)
    {
        var targets = new Argument<string[]>("function-or-parameter") { Description = "Functions or parameters to disarm.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Disarm everything chaos arm armed and every other armed parameter under the prefix." };
        var prefix = OperatorSettings.PrefixOption(context);
        var halt = OperatorSettings.HaltParameterOption(context);
        var ledgerPrefix = OperatorSettings.LedgerPrefixOption(context);
        var command = new Command(
            "disarm",
            "Disarm functions' wrapper settings: what chaos arm armed gets back exactly what was there before (from its ledger); anything else armed gets the disarmed baseline " +
            "{\"version\":1,\"enabled\":false}, keeping its type. Best effort: one failure does not stop the rest. Exit code 0 when everything was done, 2 when anything failed.")
        {
            targets, all, prefix, halt, ledgerPrefix,
        };
        command.Validators.Add(result =>
        {
            var named = result.GetValue(targets) is { Length: > 0 };
            var everything = result.GetValue(all);
            if (named == everything)
            {
                result.AddError(everything ? "give either function names or --all, not both" : "say what to disarm: function names or parameters, or --all");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var options = OperatorSettings.Resolve(parse, prefix, halt, ledgerPrefix);
            var chaos = context.Operator(options);
            var report = parse.GetValue(all)
                ? await chaos.DisarmAllAsync(ReportOutput.Printer(context), ct).ConfigureAwait(false)
                : await chaos.DisarmAsync([.. parse.GetValue(targets)!.Select(t => ArmRequest.ParameterFor(t, options.ParameterPrefix))], ReportOutput.Printer(context), ct).ConfigureAwait(false);
            return await ReportOutput.SummaryAsync(context, report, "Disarmed.", "run the same disarm again to retry what failed.").ConfigureAwait(false);
        });
        return command;
    }
}
