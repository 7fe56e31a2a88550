namespace ServerlessChaos.Infra.Settings;

/// <summary>
/// A setting from cdk.json context (or props) that cannot be deployed. The message names the field,
/// e.g. <c>context.serverlessChaos.schedules[0].expression is not a valid schedule expression</c>.
/// </summary>
public sealed class InfraSettingsException(string message) : Exception(message);
