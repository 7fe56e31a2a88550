namespace ServerlessChaos.Aws.Configuration;

/// <summary>Finds the AWS region the way the AWS tools do.</summary>
public static class AwsRegionResolver
{
    /// <summary>
    /// <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>, then the <c>region</c> of the active profile
    /// in the shared config file (<c>AWS_CONFIG_FILE</c> or <c>~/.aws/config</c>); null if none is set.
    /// </summary>
    public static string? Resolve(IAwsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.GetVariable("AWS_REGION")
            ?? environment.GetVariable("AWS_DEFAULT_REGION")
            ?? SharedConfigFiles.Load(environment).GetProfileSetting(SharedConfigFiles.ActiveProfileName(environment), "region");
    }
}
