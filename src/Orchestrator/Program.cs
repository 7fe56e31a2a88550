using ServerlessChaos.Orchestrator.Runtime;

// The bootstrap of every control function (provided.al2023): _HANDLER chooses the step.
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
return await LambdaBootstrap.RunAsync(Environment.GetEnvironmentVariable, http, TimeProvider.System, createBackends: null, CancellationToken.None);
