namespace ServerlessChaos.Cli;

/// <summary>An error the CLI reports as one line (<c>chaos: ...</c>) and exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>A signal stopped the command before it changed anything: one line, and the interrupted exit code (130, or 143 for SIGTERM).</summary>
internal sealed class CliInterruptedException(string message) : Exception(message);
