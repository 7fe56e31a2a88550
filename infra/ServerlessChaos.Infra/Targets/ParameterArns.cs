using Amazon.CDK;

namespace ServerlessChaos.Infra.Targets;

/// <summary>ARNs of SSM parameters, for policies scoped to exactly the parameters a principal needs.</summary>
public static class ParameterArns
{
    /// <summary>The ARN of the parameter <paramref name="name"/> (which starts with '/').</summary>
    public static string Of(Stack stack, string name) => stack.FormatArn(new ArnComponents
    {
        Service = "ssm",
        Resource = "parameter",
        // Names that start with '/' appear in the ARN without that slash: parameter/serverless-chaos/halt.
        ResourceName = name.TrimStart('/'),
        ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
    });

    /// <summary>The ARNs covering every parameter under <paramref name="prefix"/> and the path itself (for GetParametersByPath).</summary>
    public static string[] Under(Stack stack, string prefix) => [Of(stack, prefix.TrimEnd('/')), Of(stack, prefix.TrimEnd('/') + "/*")];
}
