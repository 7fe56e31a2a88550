namespace ServerlessChaos.Aws.Configuration;

/// <summary>What a client needs to know about a service to address and sign requests to it.</summary>
/// <param name="Name">The name used in errors, e.g. <c>FIS</c>.</param>
/// <param name="EndpointId">The suffix of its <c>AWS_ENDPOINT_URL_*</c> variable, e.g. <c>SFN</c>.</param>
/// <param name="EndpointPrefix">The host prefix of its public endpoint, e.g. <c>monitoring</c>.</param>
/// <param name="SigningName">The SigV4 service name, e.g. <c>states</c>.</param>
public sealed record AwsServiceDescription(string Name, string EndpointId, string EndpointPrefix, string SigningName)
{
    /// <summary>AWS Fault Injection Service.</summary>
    public static AwsServiceDescription Fis { get; } = new("FIS", "FIS", "fis", "fis");

    /// <summary>Amazon CloudWatch (metrics and alarms).</summary>
    public static AwsServiceDescription CloudWatch { get; } = new("CloudWatch", "CLOUDWATCH", "monitoring", "monitoring");

    /// <summary>AWS Step Functions.</summary>
    public static AwsServiceDescription StepFunctions { get; } = new("StepFunctions", "SFN", "states", "states");
}
