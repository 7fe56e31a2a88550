using System.Globalization;

namespace ServerlessChaos.Infra.Fis;

/// <summary>One FIS action the templates support: a row of <see cref="FisActions.All"/>.</summary>
/// <param name="Id">The FIS action id.</param>
/// <param name="ResourceType">The FIS target resource type.</param>
/// <param name="TargetKey">The key the action's <c>Targets</c> map uses.</param>
/// <param name="HasDuration">Whether the action takes a <c>duration</c> parameter (ISO 8601, PT1M to PT12H).</param>
/// <param name="Parameters">Parameters the action takes besides <c>duration</c>.</param>
/// <param name="Permissions">What the FIS experiment role needs to run it.</param>
/// <param name="TargetNeeds">What the target must have for the action to work (for the README).</param>
public sealed record FisAction(
    string Id,
    string ResourceType,
    string TargetKey,
    bool HasDuration,
    IReadOnlyList<FisParameter> Parameters,
    IReadOnlyList<FisPermission> Permissions,
    string TargetNeeds)
{
    /// <summary>The parameter named <paramref name="name"/>, or null.</summary>
    public FisParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>Whether the role needs the Lambda configuration bucket (the FIS Lambda extension reads its faults there).</summary>
    public bool UsesLambdaConfiguration => Permissions.Any(p => p.Resources.Contains(FisResource.LambdaConfigurationObjects));
}

/// <summary>The value format of a FIS action parameter (FIS takes every parameter as a string).</summary>
public enum FisParameterFormat
{
    /// <summary>A whole number between <see cref="FisParameter.Min"/> and <see cref="FisParameter.Max"/>.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary><c>True</c> or <c>False</c>: passed on to an FIS SSM document, whose allowed values are spelled so.</summary>
    SsmBoolean,

    /// <summary>Any non-empty text.</summary>
    Text,
}

/// <summary>One parameter of a FIS action.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Required">Whether FIS refuses a template without it.</param>
/// <param name="Format">Its value format.</param>
/// <param name="Min">Smallest value of an <see cref="FisParameterFormat.Integer"/>.</param>
/// <param name="Max">Largest value of an <see cref="FisParameterFormat.Integer"/>.</param>
public sealed record FisParameter(string Name, bool Required, FisParameterFormat Format, long Min = 0, long Max = long.MaxValue)
{
    /// <summary>A required parameter.</summary>
    public static FisParameter RequiredOf(string name, FisParameterFormat format, long min = 0, long max = long.MaxValue) => new(name, true, format, min, max);

    /// <summary>An optional parameter.</summary>
    public static FisParameter OptionalOf(string name, FisParameterFormat format, long min = 0, long max = long.MaxValue) => new(name, false, format, min, max);

    /// <summary>The format, as the README and error messages describe it.</summary>
    public string FormatText => Format switch
    {
        FisParameterFormat.Integer when Max == long.MaxValue => string.Create(CultureInfo.InvariantCulture, $"a whole number of at least {Min}"),
        FisParameterFormat.Integer => string.Create(CultureInfo.InvariantCulture, $"a whole number from {Min} to {Max}"),
        FisParameterFormat.Boolean => "true or false",
        FisParameterFormat.SsmBoolean => "True or False",
        _ => "text",
    };

    /// <summary>Null when <paramref name="value"/> has this parameter's format, otherwise what is wrong with it.</summary>
    public string? Problem(string value) => Format switch
    {
        FisParameterFormat.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= Min && n <= Max
            ? null
            : $"must be {FormatText}",
        FisParameterFormat.Boolean => value is "true" or "false" ? null : "must be true or false",
        FisParameterFormat.SsmBoolean => value is "True" or "False" ? null : "must be True or False (spelled as the FIS SSM document takes it)",
        _ => value.Trim().Length > 0 ? null : "must be non-empty text",
    };
}

/// <summary>What an IAM statement of the FIS role applies to; <see cref="ExperimentTemplates"/> turns each into ARNs.</summary>
public enum FisResource
{
    /// <summary><c>*</c>: the action has no resource type (Service Authorization Reference), or the documentation grants it on <c>*</c>.</summary>
    Any,

    /// <summary>ECS tasks: <c>arn:…:ecs:region:account:task/cluster/id</c>.</summary>
    EcsTasks,

    /// <summary>ECS container instances: <c>arn:…:ecs:region:account:container-instance/cluster/id</c>.</summary>
    EcsContainerInstances,

    /// <summary>The FIS-owned SSM documents <c>AWSFIS-Run-*</c> (owned by AWS, so any account in the ARN).</summary>
    FisSsmDocuments,

    /// <summary>SSM managed instances (the tasks' SSM agent sidecars register as these).</summary>
    SsmManagedInstances,

    /// <summary>The objects under the Lambda configuration prefix of the bucket <see cref="ExperimentTemplates"/> creates.</summary>
    LambdaConfigurationObjects,
}

/// <summary>One statement of the FIS role: actions on resources. Equal statements of several actions are granted once.</summary>
/// <param name="Sid">The statement id.</param>
/// <param name="Actions">The IAM actions.</param>
/// <param name="Resources">What they apply to.</param>
public sealed record FisPermission(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<FisResource> Resources);
