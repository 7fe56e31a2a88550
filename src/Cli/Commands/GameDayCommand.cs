using System.CommandLine;
using System.Globalization;
using ServerlessChaos.Cli.GameDay;
using ServerlessChaos.Cli.GameDay.Assets;
using ServerlessChaos.Cli.GameDay.Plan;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.GameDay.Target;
using ServerlessChaos.Orchestrator.Experiments;
using Alarms = ServerlessChaos.Cli.GameDay.Alarms;

namespace ServerlessChaos.Cli.Commands;

/// <summary><c>chaos gameday [experiment.json | --plan plan.json]</c>: a game day on this machine, no AWS account needed.</summary>
internal static class GameDayCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var experiment = new Argument<string?>("experiment")
        {
            Description = $"One experiment file to run on its own. With neither it nor --plan, the default plan ({GameDayAssets.DefaultPlanPath}, in the repository or the copy packaged with the tool) runs.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var plan = new Option<string?>("--plan")
        {
            Description = "A game-day plan file: experiments (run in order, a steady-state check between them), load, alarms, service. Defaults to the repository's default plan.",
        };
        var report = new Option<string?>("--report", "-o")
        {
            Description = "The folder for report.html, report.json and report.md. Defaults to a new gameday-report-<UTC time>-<random> in the current folder.",
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Requests per second the load generator sends to the sample API. Defaults to the plan's load.ratePerSecond, or 20.",
        };
        rate.Validators.Add(r =>
        {
            // A token that is not a number already has the parser's one-line error; reading it would throw.
            if (r.Tokens.Count > 0 && !double.TryParse(r.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return;
            }

            var value = r.GetValueOrDefault<double>();
            if (value is < 1 or > 500 || double.IsNaN(value))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"--rate must be between 1 and 500 requests per second (was {value})"));
            }
        });
        var repository = new Option<string?>("--repository")
        {
            Description = "The ServerlessChaos repository (state machine, Node tools, events). Found from the current folder by default; outside a repository the files packaged with the tool are used.",
        };
        var alarms = new Option<string?>("--alarms")
        {
            Description = "A JSON file of local alarm definitions (name, metric p99LatencyMs or serverErrorRatePercent, threshold, periodSeconds, evaluationPeriods, datapointsToAlarm, comparisonOperator, treatMissingData). Defaults to the sample API's two alarms.",
        };
        var allowRemote = new Option<bool>("--allow-remote-targets")
        {
            Description = "Let httpLoad probes go to hosts other than 127.0.0.1/localhost (refused by default: a local game day sends traffic only to this machine).",
        };
        var junit = new Option<string?>("--junit")
        {
            Description = "Also write the result as JUnit XML to this file: one test case per experiment, a failure carrying the verdict's reason unless the hypothesis held.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print report.json to standard output when the run ends (progress goes to standard error), for machines.",
        };
        var plain = new Option<bool>("--plain")
        {
            Description = "Print plain progress lines instead of the live panel (the default when the output is redirected).",
        };

        var command = new Command("gameday", "Run a local game day: a plan of experiments against the sample API under steady load, local CloudWatch-style alarms, the real state machine on a local runner, live progress and one report. Exit code 0 held, 1 deviated, 2 aborted or error (the worst experiment's).")
        {
            experiment,
            plan,
            report,
            rate,
            repository,
            alarms,
            allowRemote,
            junit,
            json,
            plain,
        };
        command.SetAction(async (parse, ct) =>
        {
            var assets = GameDayAssets.Locate(
                parse.GetValue(repository) is { } given ? context.FullPath(given) : null,
                context.CurrentDirectory,
                AppContext.BaseDirectory,
                context.GetEnvironmentVariable);
            var single = parse.GetValue(experiment);
            var planFile = parse.GetValue(plan);
            if (single is not null && planFile is not null)
            {
                throw new CliException("give either an experiment file or --plan, not both");
            }

            var thePlan = single is not null
                ? GameDayPlan.Single(context.FullPath(single))
                : PlanFile.Read(planFile is not null ? context.FullPath(planFile) : assets.DefaultPlan);
            var own = thePlan.Target is { } section
                ? TargetSpec.Parse(section, thePlan.Source, Path.GetDirectoryName(Path.GetFullPath(thePlan.Source)) ?? ".", parse.GetValue(allowRemote))
                : null;
            if (own is not null && thePlan.Service is not null)
            {
                throw new CliException($"{thePlan.Source}: service (the local ECS-style service) serves the bundled sample; a plan with a target runs your own service instead, so give one or the other");
            }
            var reportDirectory = parse.GetValue(report) is { } dir
                ? context.FullPath(dir)
                : context.FullPath(ReportFolder.DefaultName(context.Clock.GetUtcNow()));
            var alarmFile = parse.GetValue(alarms) is { } alarmPath ? context.FullPath(alarmPath) : thePlan.AlarmsPath;
            var options = new GameDayOptions
            {
                Assets = assets,
                Plan = thePlan,
                ReportDirectory = reportDirectory,
                RatePerSecond = parse.GetResult(rate) is { Implicit: false } ? parse.GetValue(rate) : thePlan.Load?.RatePerSecond ?? 20,
                Requests = thePlan.Load?.Requests ?? GameDayOptions.SampleRequests,
                Service = thePlan.Service,
                MaxBaseline = thePlan.SteadyStateTimeout,
                AllowRemoteTargets = parse.GetValue(allowRemote),
                Alarms = alarmFile is not null ? ReadAlarms(alarmFile) : Alarms.SampleAlarms.Defaults,
                Target = own,
                ServedParameters = own?.Parameters ?? GameDayOptions.SampleParameters,
                SsmPort = own?.SsmPort ?? 0,
            };
            var junitPath = parse.GetValue(junit) is { } junitFile ? context.FullPath(junitFile) : null;
            var machine = parse.GetValue(json);
            var progress = machine ? context.Error : context.Out;
            GameDayResult result;
            try
            {
                result = await GameDay(context, options, progress, interactive: context.Interactive && !machine && !parse.GetValue(plain)).RunAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Still setting up (the servers, the first datapoints): the state machine never ran.
                throw new CliInterruptedException(GameDayRunner.InterruptedBeforeStart);
            }

            if (junitPath is not null)
            {
                await ReportJUnit.WriteAsync(result.Report.Experiments, junitPath, CancellationToken.None).ConfigureAwait(false);
                await progress.WriteLineAsync($"JUnit: {junitPath}").ConfigureAwait(false);
            }

            if (machine)
            {
                await context.Out.WriteLineAsync(ReportJson.Build(result.Report).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            }

            return result.Verdict.ExitCode();
        });
        return command;
    }

    private static IReadOnlyList<Alarms.AlarmDefinition> ReadAlarms(string path) =>
        File.Exists(path) ? Alarms.AlarmFile.Parse(File.ReadAllText(path), path) : throw new CliException($"alarm file {path} does not exist");

    /// <summary>The runner with the real local control plane and the wrapper-decorated sample API.</summary>
    internal static GameDayRunner GameDay(CliContext context, GameDayOptions options, TextWriter progress, bool interactive) =>
        new(options, progress, interactive, context.Clock, LocalControlPlane.StartAsync, SampleTargetFactory.Create);
}
