using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.FIS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Constructs;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra.Fis;

/// <summary>Props of <see cref="ExperimentTemplates"/>.</summary>
public sealed class ExperimentTemplatesProps
{
    /// <summary>Prefix of the template, role, log group and bucket names.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>The templates.</summary>
    public required IReadOnlyList<ExperimentTemplateSettings> Templates { get; init; }

    /// <summary>Retention of the experiment log group, in days.</summary>
    public int LogRetentionDays { get; init; } = 30;

    /// <summary>Alarms this app created, by name; other stop-alarm names are taken as existing alarms in the account.</summary>
    public IReadOnlyDictionary<string, IAlarm> KnownAlarms { get; init; } = new Dictionary<string, IAlarm>();
}

/// <summary>
/// FIS experiment templates, tagged <c>serverless-chaos:managed=true</c> (the only ones the start function may start),
/// with stop conditions on the hypothesis alarms, a CloudWatch Logs experiment log, and a role that holds only the
/// permissions of the actions actually used.
/// </summary>
public sealed class ExperimentTemplates : Construct
{
    /// <summary>The tag that marks a template as one ServerlessChaos may start.</summary>
    public const string ManagedTagKey = ChaosConventions.ManagedTagKey;

    /// <summary>Its value.</summary>
    public const string ManagedTagValue = ChaosConventions.ManagedTagValue;

    /// <summary>The tag an experiment input selects a template by (<c>fis.templateTag</c>); its value is the template name.</summary>
    public const string TemplateTagKey = "serverless-chaos:template";

    /// <summary>Where FIS writes the Lambda extension's fault configuration, inside <see cref="LambdaConfigurationBucket"/>.</summary>
    public const string LambdaConfigurationPrefix = "FisConfigs/";

    /// <summary>The role FIS assumes to run the experiments.</summary>
    public readonly Role Role;

    /// <summary>The experiment log group.</summary>
    public readonly LogGroup LogGroup;

    /// <summary>The templates by name.</summary>
    public readonly IReadOnlyDictionary<string, CfnExperimentTemplate> ByName;

    /// <summary>The bucket FIS and the FIS Lambda extension exchange fault configuration through (only when a Lambda action is used).</summary>
    public readonly Bucket? LambdaConfigurationBucket;

    /// <summary>Creates the role, the log group and the templates.</summary>
    public ExperimentTemplates(Construct scope, string id, ExperimentTemplatesProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        var actions = props.Templates.Select(t => FisActions.Find(t.Action)
            ?? throw new InfraSettingsException($"experiment template '{t.Name}': unknown FIS action '{t.Action}'")).ToList();

        LogGroup = new LogGroup(this, "ExperimentLogs", new LogGroupProps
        {
            LogGroupName = $"/serverless-chaos/{props.NamePrefix}/fis-experiments",
            Retention = RetentionPeriods.Of(props.LogRetentionDays),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        Role = new Role(this, "Role", new RoleProps
        {
            Description = "AWS FIS runs ServerlessChaos experiment templates with this role",
            AssumedBy = new ServicePrincipal("fis.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                },
            }),
        });

        if (actions.Any(a => a.UsesLambdaConfiguration))
        {
            LambdaConfigurationBucket = new Bucket(this, "LambdaConfiguration", new BucketProps
            {
                Encryption = BucketEncryption.S3_MANAGED,
                BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
                EnforceSSL = true,
                RemovalPolicy = RemovalPolicy.DESTROY,
            });
        }

        GrantActions(stack, actions);

        var templates = new Dictionary<string, CfnExperimentTemplate>(StringComparer.Ordinal);
        for (var i = 0; i < props.Templates.Count; i++)
        {
            templates[props.Templates[i].Name] = CreateTemplate(stack, props, props.Templates[i], actions[i]);
        }

        ByName = templates;
    }

    /// <summary>The S3 location a target function's <c>AWS_FIS_CONFIGURATION_LOCATION</c> points to.</summary>
    public string? LambdaConfigurationLocation =>
        LambdaConfigurationBucket is null ? null : $"{LambdaConfigurationBucket.BucketArn}/{LambdaConfigurationPrefix}";

    /// <summary>
    /// Prepares a function for the FIS Lambda actions: attaches the FIS extension layer, points it at the configuration
    /// location, and lets it read (only) that location.
    /// </summary>
    public void PrepareLambdaTarget(Function function, ILayerVersion fisExtensionLayer)
    {
        if (LambdaConfigurationBucket is null)
        {
            throw new InvalidOperationException("No template uses a FIS Lambda action, so there is no configuration bucket to point the function at.");
        }

        function.AddLayers(fisExtensionLayer);
        function.AddEnvironment("AWS_FIS_CONFIGURATION_LOCATION", LambdaConfigurationLocation!);
        function.AddEnvironment("AWS_LAMBDA_EXEC_WRAPPER", "/opt/aws-fis/bootstrap");
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ListFisConfiguration",
            Actions = ["s3:ListBucket"],
            Resources = [LambdaConfigurationBucket.BucketArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = LambdaConfigurationPrefix + "*" },
            },
        }));
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadFisConfiguration",
            Actions = ["s3:GetObject"],
            Resources = [LambdaConfigurationBucket.ArnForObjects(LambdaConfigurationPrefix + "*")],
        }));
    }

    private void GrantActions(Stack stack, IReadOnlyList<FisAction> actions)
    {
        void Allow(string sid, IEnumerable<string> iamActions, IEnumerable<string> resources) =>
            Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Sid = sid, Actions = [.. iamActions], Resources = [.. resources] }));

        string Arn(string service, string resource, string name, string? account = null) => stack.FormatArn(new ArnComponents
        {
            Service = service,
            Resource = resource,
            ResourceName = name,
            Account = account,
            ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
        });

        // Resource ARN formats from the Service Authorization Reference (ECS, SSM, S3).
        string[] Arns(FisResource resource) => resource switch
        {
            FisResource.Any => ["*"],
            FisResource.EcsTasks => [Arn("ecs", "task", "*")],
            FisResource.EcsContainerInstances => [Arn("ecs", "container-instance", "*")],
            // AWS owns the FIS documents, so their ARN carries no account of ours (AWS-owned SSM documents show an empty
            // account); '*' matches it whatever AWS puts there, and the name keeps the grant to FIS's own documents.
            FisResource.FisSsmDocuments => [Arn("ssm", "document", "AWSFIS-Run-*", account: "*")],
            FisResource.SsmManagedInstances => [Arn("ssm", "managed-instance", "*")],
            FisResource.LambdaConfigurationObjects => [LambdaConfigurationBucket!.ArnForObjects(LambdaConfigurationPrefix + "*")],
            _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown FIS resource"),
        };

        // FIS delivers the experiment log through CloudWatch Logs log delivery, whose APIs take no resource ARN
        // (https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html).
        Allow("DeliverExperimentLog", ["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], ["*"]);

        // One statement per permission of the table, granted once however many actions share it.
        foreach (var permission in actions.SelectMany(a => a.Permissions).Distinct())
        {
            Allow(permission.Sid, permission.Actions, permission.Resources.SelectMany(Arns));
        }
    }

    private CfnExperimentTemplate CreateTemplate(Stack stack, ExperimentTemplatesProps props, ExperimentTemplateSettings template, FisAction action)
    {
        string AlarmArn(string name) => props.KnownAlarms.TryGetValue(name, out var alarm)
            ? alarm.AlarmArn
            : stack.FormatArn(new ArnComponents { Service = "cloudwatch", Resource = "alarm", ResourceName = name, ArnFormat = ArnFormat.COLON_RESOURCE_NAME });

        var parameters = new Dictionary<string, string>(template.Parameters);
        if (action.HasDuration)
        {
            parameters["duration"] = template.Duration;
        }

        var actionName = action.Id.Split(':')[^1];
        return new CfnExperimentTemplate(this, template.Name, new CfnExperimentTemplateProps
        {
            Description = template.Description,
            RoleArn = Role.RoleArn,
            StopConditions = template.StopAlarms
                .Select(name => (object)new CfnExperimentTemplate.ExperimentTemplateStopConditionProperty { Source = "aws:cloudwatch:alarm", Value = AlarmArn(name) })
                .ToArray(),
            Targets = new Dictionary<string, object>
            {
                ["targets"] = new CfnExperimentTemplate.ExperimentTemplateTargetProperty
                {
                    ResourceType = action.ResourceType,
                    ResourceTags = template.TargetTags.ToDictionary(t => t.Key, t => t.Value),
                    SelectionMode = template.SelectionMode,
                },
            },
            Actions = new Dictionary<string, object>
            {
                [actionName] = new CfnExperimentTemplate.ExperimentTemplateActionProperty
                {
                    ActionId = action.Id,
                    Description = template.Description,
                    Parameters = parameters,
                    Targets = new Dictionary<string, string> { [action.TargetKey] = "targets" },
                },
            },
            LogConfiguration = new CfnExperimentTemplate.ExperimentTemplateLogConfigurationProperty
            {
                CloudWatchLogsConfiguration = new Dictionary<string, object> { ["LogGroupArn"] = LogGroup.LogGroupArn },
                LogSchemaVersion = 2,
            },
            Tags = new Dictionary<string, string>
            {
                [ManagedTagKey] = ManagedTagValue,
                [TemplateTagKey] = template.Name,
                ["Name"] = $"{props.NamePrefix}-{template.Name}",
            },
        });
    }
}
