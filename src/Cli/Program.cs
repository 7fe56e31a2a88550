// The `chaos` command: the local game day and the operator commands.
return await ServerlessChaos.Cli.Commands.ChaosCli.RunAsync(args, ServerlessChaos.Cli.Commands.CliContext.FromProcess()).ConfigureAwait(false);
