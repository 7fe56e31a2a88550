namespace ServerlessChaos.Cli;

/// <summary>An error the CLI reports as one line (<c>chaos: ...</c>) and exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
